/*
 * cadres_report.h: the cadre figures of a period (core/cadres.h) in JSON
 * (the API's and `coso cadres report --format json`), text for people (in
 * Vietnamese, Vietnamese number and date formats) and CSV; and the holders
 * of a commune's posts in JSON. docs/CADRES.md shows each.
 */
#ifndef COSO_REPORT_CADRES_REPORT_H
#define COSO_REPORT_CADRES_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "core/cadres.h"

/* The summary as JSON (a new reference owned by the caller; NULL when out of memory). */
json_t *coso_cadres_summary_json(const coso_training_summary *s);
/* Text: the training of the period, rotations, then the standards share
 * of the scope and of each commune. Returns 0 or -1 on a write error. */
int coso_cadres_summary_text(FILE *out, const coso_training_summary *s);
/* CSV: the scope's row first (training, rotations, standards), then one
 * row per commune (training and standards). Returns 0 or -1. */
int coso_cadres_summary_csv(FILE *out, const coso_training_summary *s);

/* The JSON of one holder (as the API lists a commune's posts). */
json_t *coso_cadres_holder_json(const coso_cadre_holder *h);

/* The JSON of one training record of a period (as the API lists them). */
json_t *coso_cadres_sent_json(const coso_cadre_sent *r);
/* CSV: the header, and one record. */
void coso_cadres_sent_csv_header(FILE *out);
void coso_cadres_sent_csv(FILE *out, const coso_cadre_sent *r);

/* The share meeting/holdings rounded to 4 decimals, or JSON null when holdings is 0. */
json_t *coso_cadres_share_json(long long meeting, long long holdings);

#endif
