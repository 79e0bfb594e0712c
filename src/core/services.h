/*
 * services.h: the commune's service to citizens (docs/SERVICES.md): the
 * one-stop desk's cases (hồ sơ thủ tục hành chính) with the procedure
 * catalogue, complaints (khiếu nại, first and second), denunciations (tố
 * cáo) and petitions (kiến nghị, phản ánh), each a case with dated events.
 *
 * Every statutory deadline is computed here, with the one calendar
 * (core/workdays.h), from the case and the events recorded up to a day:
 * coso_svc_clock() answers "what was due, and was the case on time, on day
 * D" for any D. The time limits, each named by its source:
 *
 * - one-stop: the procedure's processing time in working days from the day
 *   the complete file was received (the catalogue, procedures.csv; Nghị
 *   định 61/2018/NĐ-CP on the one-stop mechanism); a late case gets an
 *   apology slip with a new date (phiếu xin lỗi và hẹn lại ngày trả kết
 *   quả, Nghị định 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP), which does
 *   not make it on time;
 * - complaint (first): accepted (thụ lý) within 10 working days of receipt
 *   (Luật Khiếu nại 2011 Điều 27), resolved within 30 days of acceptance, 45
 *   when complex; in remote and difficult areas 45, and 60 when complex
 *   (Điều 28);
 * - complaint (second): 45 days, 60 when complex; remote 60 / 70 (Điều 37);
 * - denunciation: the initial processing and acceptance within 7 working
 *   days of receipt (Luật Tố cáo 2018, the receiving and acceptance rules,
 *   Điều 24 and 29); resolved within 30 days of acceptance, extended once by
 *   30 days for a complex case and twice for a very complex one, each
 *   extension a recorded decision (Điều 30);
 * - petition or reflection: answered within 10 working days of receipt
 *   (coso's rule, see docs/SERVICES.md: no single statutory time limit).
 *
 * "Days" (ngày) end on day + n, moved to the next working day when that is
 * a day off (coso_deadline_in_days); "working days" count from the day after
 * the event (coso_add_workdays). The remote-area limits apply when the
 * case's commune is flagged `difficult` on the day the case was received.
 */
#ifndef COSO_CORE_SERVICES_H
#define COSO_CORE_SERVICES_H

#include <stdbool.h>

#include "core/register.h"
#include "core/workdays.h"
#include "db/store_api.h"
#include "util/date.h"

typedef enum coso_svc_kind {
	COSO_SVC_ONESTOP = 0,     /* hồ sơ thủ tục hành chính (một cửa) */
	COSO_SVC_COMPLAINT,       /* khiếu nại lần đầu */
	COSO_SVC_COMPLAINT2,      /* khiếu nại lần hai */
	COSO_SVC_DENUNCIATION,    /* tố cáo */
	COSO_SVC_PETITION,        /* kiến nghị, phản ánh */
	COSO_SVC_KIND_MAX
} coso_svc_kind;

/* "onestop", "complaint", "complaint_second", "denunciation", "petition"; NULL-terminated. */
extern const char *const coso_svc_kinds[];
/* The Vietnamese names, by kind. */
extern const char *const coso_svc_kind_names[];
/* The event actions: "accepted", "handoff", "apology", "extended",
 * "resolved", "rejected", "withdrawn", "transferred"; NULL-terminated. */
extern const char *const coso_svc_actions[];
/* The Vietnamese names of the actions, in the same order. */
extern const char *const coso_svc_action_names[];

/* The kind of a name, or -1. */
int coso_svc_kind_of(const char *name);
/* Whether an action closes a case (resolved, rejected, withdrawn, transferred). */
bool coso_svc_action_closes(const char *action);

/* Most events one case may have. */
#define COSO_SVC_MAX_EVENTS 200

/* One event as the clock sees it. */
typedef struct coso_svc_tick {
	coso_day day;
	const char *action;
	coso_day new_date;   /* apology: the new date promised; else COSO_DAY_MAX */
} coso_svc_tick;

/* A case as the clock sees it. */
typedef struct coso_svc_input {
	coso_svc_kind kind;
	coso_day received_on;
	int proc_days;       /* one-stop: the procedure's processing time (working days) */
	int complexity;      /* 0 ordinary, 1 complex (phức tạp), 2 very complex (đặc biệt phức tạp) */
	bool remote;         /* the commune is in a remote and difficult area on received_on */
	const coso_svc_tick *ev; /* in date order */
	int nev;
} coso_svc_input;

/* Where a case stands on a day. Days are COSO_DAY_MAX when not (yet) set. */
typedef struct coso_svc_clock {
	coso_day accept_due;   /* acceptance is due (complaints, denunciations) */
	coso_day accepted_on;
	coso_day due;          /* the result is due (after acceptance for grievances; extensions counted) */
	coso_day promised;     /* one-stop: the latest apology's new date */
	coso_day closed_on;
	const char *closed_as; /* the closing action, NULL when open */
	int extensions;
	bool open;             /* not closed on the day */
	bool late;             /* closed after its deadline, or open past it on the day */
	coso_day deadline;     /* the deadline the case is measured against on the day */
} coso_svc_clock;

/* The clock of case `in` as of day `as_of` (events after it are ignored;
 * COSO_DAY_MAX: all). On a rule the events break (an event before receipt,
 * an action after the case closed, an extension the complexity does not
 * allow or after the deadline, an apology's date not after the deadline or
 * the case not late, acceptance twice or of a one-stop case, ...) returns
 * COSO_EINVALID with the message in the error slot, naming the event by its
 * position (from 1). */
int coso_svc_clock_at(const coso_calendar *cal, const coso_svc_input *in, coso_day as_of, coso_svc_clock *out);

/* The clock of stored case `id` as of `as_of`, from its record and events
 * (COSO_ENOTFOUND when no such case); *remote (may be NULL) gets whether
 * the longer time limits of remote and difficult areas apply. */
int coso_svc_clock_of(coso_store *st, const char *id, coso_day as_of, coso_svc_clock *out, bool *remote);

/* Computes and stores the derived columns of case `id` (store_services.h);
 * a clock its events break is a problem of field "date" in errs (and 0). */
int coso_svc_refresh(coso_store *st, const char *id, coso_field_errors *errs);

/* Computes and stores the derived columns of every case (an import's check;
 * `coso services recompute`); fn gets each case whose events break its
 * clock (key: the case's id). Returns the number of such cases, or < 0. */
int coso_svc_refresh_every(coso_store *st, coso_problem_fn fn, void *ctx);

/* The register's files (core/registers.c lists them). */
extern const coso_register_file coso_svc_procedures_file;
extern const coso_register_file coso_svc_cases_file;
extern const coso_register_file coso_svc_events_file;
extern const coso_register_file coso_svc_receptions_file;
extern const coso_register_file coso_svc_voters_file;

/* Citizen reception (tiếp công dân, Luật Tiếp công dân 2013): the kinds of
 * session ("regular" thường xuyên, "chair" định kỳ of the chair, "unscheduled"
 * đột xuất) and where a matter goes (a kind of case, or "guidance": explained
 * on the spot); NULL-terminated. */
extern const char *const coso_svc_session_kinds[];
extern const char *const coso_svc_routes[];

#endif
