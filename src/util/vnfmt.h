/*
 * vnfmt.h: numbers the way Vietnamese offices write them.
 *
 * Thousands separated by '.', decimals by ',': 1.813; 1.234.567; 88,3%.
 * All functions write a NUL-terminated string into buf of size n (truncating
 * safely) and return buf.
 */
#ifndef COSO_UTIL_VNFMT_H
#define COSO_UTIL_VNFMT_H

#include <stddef.h>

/* 1813 -> "1.813"; -1234567 -> "-1.234.567"; 0 -> "0". */
char *coso_vnfmt_int(char *buf, size_t n, long long v);

/* part/whole as a percentage with `decimals` digits after the comma, rounded
 * half away from zero: (1601, 1813, 1) -> "88,3%". whole == 0 -> "–". */
char *coso_vnfmt_percent(char *buf, size_t n, long long part, long long whole, int decimals);

/* A signed change: +12, -74 as "+12" / "−74" ... written with ASCII '-' and '+',
 * and "0" for no change, thousands separated as above. */
char *coso_vnfmt_delta(char *buf, size_t n, long long v);

/* "2018-05-22" style day number -> "22/05/2018". */
char *coso_vnfmt_date(char *buf, size_t n, int y, int m, int d);

#endif
