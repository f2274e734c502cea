/* SPDX-License-Identifier: GPL-3.0-or-later */
/* frame: reading inputs into one table, resolving column roles, grouping rows
 * by key, parsing series out of groups, and writing rows with added columns. */
#include "io/frame.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io/csv.h"
#include "core/mem.h"
#include "core/num.h"

/* State of one ts_table_read while records stream in. */
struct read_ctx {
	struct ts_table *t;
	const char *name;
	uint32_t src;
	bool header_seen;
	const struct ts_load_opts *skip;	/* skip_bad: ragged rows are warnings */
	size_t input_bytes;	/* bytes left in a regular file when the read began, or 0 */
	size_t first_row;	/* t->nrows and t->arena_len when the read began */
	size_t first_arena;
};

/* A row left out under skip_bad: its error to warn, counted. */
static void skip_row(struct read_ctx *ctx, struct ts_err *err)
{
	err->file = ctx->t->files[ctx->src];
	if (ctx->skip->warn != NULL)
		ctx->skip->warn(ctx->skip->warn_ctx, err);
	ts_err_clear(err);
	ctx->t->skipped++;
}

static int table_add_file(struct ts_table *t, const char *name, uint32_t *src)
{
	char **files;
	size_t cap = t->nfiles;

	files = ts_grow(t->files, &cap, t->nfiles + 1, sizeof *files);
	if (files == NULL)
		return TS_ENOMEM;
	t->files = files;
	t->files[t->nfiles] = ts_strndup(name, strlen(name));
	if (t->files[t->nfiles] == NULL)
		return TS_ENOMEM;
	*src = (uint32_t)t->nfiles++;
	return 0;
}

static int set_header(struct ts_table *t, const struct ts_csv_record *rec)
{
	t->names = ts_calloc(rec->nfields, sizeof *t->names);
	if (t->names == NULL)
		return TS_ENOMEM;
	t->ncols = rec->nfields;
	for (size_t c = 0; c < rec->nfields; c++) {
		t->names[c] = ts_strndup(rec->fields[c], rec->lens[c]);
		if (t->names[c] == NULL)
			return TS_ENOMEM;
	}
	return 0;
}

static bool header_matches(const struct ts_table *t, const struct ts_csv_record *rec)
{
	if (rec->nfields != t->ncols)
		return false;
	for (size_t c = 0; c < t->ncols; c++)
		if (strlen(t->names[c]) != rec->lens[c] ||
		    memcmp(t->names[c], rec->fields[c], rec->lens[c]) != 0)
			return false;
	return true;
}

/* ts_grow, and huge pages for what it grew. */
static void *grow_array(void *ptr, size_t *cap, size_t need, size_t elem_size)
{
	size_t old_cap = *cap;
	void *grown = ts_grow(ptr, cap, need, elem_size);

	if (grown != NULL && *cap != old_cap)
		ts_advise_huge(grown, *cap * elem_size);
	return grown;
}

/* ts_prefault, its test inline: called for every row. */
static inline void prefault(void *base, size_t cap, size_t *ready, size_t need)
{
	if (need > *ready)
		ts_prefault(base, cap, ready, need);
}

static int append_row(struct ts_table *t, const struct ts_csv_record *rec, uint32_t src)
{
	size_t n = rec->nfields, base;
	/* The reader's fields lie one after another, each NUL-terminated, as
	 * in the arena: one copy takes them all. */
	const char *text = n > 0 ? rec->fields[0] : NULL;
	size_t need = n > 0 ? (size_t)(rec->fields[n - 1] - text) + rec->lens[n - 1] + 1 : 0;
	if (t->arena_len + need > t->arena_cap) {
		char *arena = grow_array(t->arena, &t->arena_cap, t->arena_len + need, 1);
		if (arena == NULL)
			return TS_ENOMEM;
		t->arena = arena;
	}
	if (t->nrows + 1 > t->rows_cap) {
		size_t cap = t->rows_cap;
		size_t *line = grow_array(t->line, &cap, t->nrows + 1, sizeof *line);
		if (line == NULL)
			return TS_ENOMEM;
		t->line = line;
		cap = t->rows_cap;
		uint32_t *srcs = grow_array(t->src, &cap, t->nrows + 1, sizeof *srcs);
		if (srcs == NULL)
			return TS_ENOMEM;
		t->src = srcs;
		t->rows_cap = cap;
	}
	base = t->nrows * t->ncols;
	if (base + t->ncols + 1 > t->off_cap) {
		size_t *off = grow_array(t->off, &t->off_cap, base + t->ncols + 1, sizeof *off);
		if (off == NULL)
			return TS_ENOMEM;
		t->off = off;
	}
	/* Long inputs: map the pages ahead of the writes, in big steps. */
	prefault(t->arena, t->arena_cap, &t->ready[0], t->arena_len + need);
	prefault(t->off, t->off_cap * sizeof *t->off, &t->ready[1], (base + t->ncols + 1) * sizeof *t->off);
	prefault(t->line, t->rows_cap * sizeof *t->line, &t->ready[2], (t->nrows + 1) * sizeof *t->line);
	prefault(t->src, t->rows_cap * sizeof *t->src, &t->ready[3], (t->nrows + 1) * sizeof *t->src);
	/* in locals: a store through off could be t->arena_len for all the
	 * compiler knows, which it would then read again per field */
	size_t at = t->arena_len, *off = t->off + base;
	char *const *fields = rec->fields;
	if (n > 0)
		memcpy(t->arena + at, text, need);
	for (size_t c = 0; c < n; c++)
		off[c] = at + (size_t)(fields[c] - text);
	off[t->ncols] = at + need;
	t->arena_len = at + need;
	t->line[t->nrows] = rec->line;
	t->src[t->nrows] = src;
	t->nrows++;
	return 0;
}

int ts_table_add_record(struct ts_table *t, const struct ts_csv_record *rec, uint32_t src)
{
	return append_row(t, rec, src);
}

int ts_table_add_input(struct ts_table *t, const char *name, uint32_t *src)
{
	return table_add_file(t, name, src);
}

int ts_table_reserve(struct ts_table *t, size_t nrows, size_t arena_bytes)
{
	size_t cap = t->rows_cap;

	if (t->ncols == 0)
		return 0;
	char *arena = grow_array(t->arena, &t->arena_cap, arena_bytes, 1);
	if (arena == NULL)
		return TS_ENOMEM;
	t->arena = arena;
	size_t *off = grow_array(t->off, &t->off_cap, nrows * t->ncols + 1, sizeof *off);
	if (off == NULL)
		return TS_ENOMEM;
	t->off = off;
	size_t *line = grow_array(t->line, &cap, nrows, sizeof *line);
	if (line == NULL)
		return TS_ENOMEM;
	t->line = line;
	cap = t->rows_cap;
	uint32_t *srcs = grow_array(t->src, &cap, nrows, sizeof *srcs);
	if (srcs == NULL)
		return TS_ENOMEM;
	t->src = srcs;
	t->rows_cap = cap;
	return 0;
}

int ts_table_like(struct ts_table *dst, const struct ts_table *src)
{
	memset(dst, 0, sizeof *dst);
	dst->delim = src->delim;
	dst->eol = src->eol;
	if (src->ncols > 0) {
		dst->names = ts_calloc(src->ncols, sizeof *dst->names);
		if (dst->names == NULL)
			return TS_ENOMEM;
		dst->ncols = src->ncols;
		for (size_t c = 0; c < src->ncols; c++)
			if ((dst->names[c] = ts_strndup(src->names[c], strlen(src->names[c]))) == NULL)
				goto fail;
	}
	for (size_t i = 0; i < src->nfiles; i++) {
		uint32_t at;
		if (table_add_file(dst, src->files[i], &at) != 0)
			goto fail;
	}
	return 0;
fail:
	ts_table_free(dst);
	return TS_ENOMEM;
}

int ts_table_reuse(struct ts_table *t, const struct ts_table *like)
{
	struct ts_table rows = *t;

	/* the header and inputs go, the row arrays stay */
	t->arena = NULL;
	t->off = NULL;
	t->line = NULL;
	t->src = NULL;
	ts_table_free(t);
	if (ts_table_like(t, like) != 0) {
		TS_FREE_ALL(rows.arena, rows.off, rows.line, rows.src);
		return TS_ENOMEM;
	}
	t->arena = rows.arena;
	t->arena_cap = rows.arena_cap;
	t->off = rows.off;
	t->off_cap = rows.off_cap;
	t->line = rows.line;
	t->src = rows.src;
	t->rows_cap = rows.rows_cap;
	memcpy(t->ready, rows.ready, sizeof t->ready);
	return 0;
}

int ts_table_append(struct ts_table *dst, const struct ts_table *src)
{
	size_t base = dst->nrows * dst->ncols, shift = dst->arena_len;
	size_t nrows = dst->nrows + src->nrows;

	while (dst->nfiles < src->nfiles) {
		uint32_t at;
		if (table_add_file(dst, src->files[dst->nfiles], &at) != 0)
			return TS_ENOMEM;
	}
	if (src->nrows > 0) {
		if (ts_table_reserve(dst, nrows, dst->arena_len + src->arena_len) != 0)
			return TS_ENOMEM;
		memcpy(dst->arena + dst->arena_len, src->arena, src->arena_len);
		dst->arena_len += src->arena_len;
		for (size_t i = 0; i <= src->nrows * src->ncols; i++)
			dst->off[base + i] = src->off[i] + shift;
		memcpy(dst->line + dst->nrows, src->line, src->nrows * sizeof *dst->line);
		memcpy(dst->src + dst->nrows, src->src, src->nrows * sizeof *dst->src);
		dst->nrows = nrows;
	}
	dst->blank_lines += src->blank_lines;
	dst->skipped += src->skipped;
	return 0;
}

/* Rows read before a regular file's size is turned into room for all of it. */
#define SAMPLE_ROWS 1024

/* Room, at once, for the rows a regular file's size and its first rows
 * promise (an eighth more): growing a long table step by step copies or
 * moves its arrays, and moved pages lose the huge pages they had. The
 * arena needs at most the file's bytes (a NUL stands for each delimiter
 * and line break). Only a speed-up: the table still grows as it must,
 * and an allocation refused here is refused again there if it matters. */
static void reserve_for_input(const struct read_ctx *ctx)
{
	struct ts_table *t = ctx->t;
	size_t rows = t->nrows - ctx->first_row;
	size_t bytes = t->arena_len - ctx->first_arena;
	double expect = (double)ctx->input_bytes / (double)bytes * (double)rows * 1.125;
	size_t more = expect < (double)ctx->input_bytes ? (size_t)expect : ctx->input_bytes;

	(void)ts_table_reserve(t, t->nrows + more, ctx->first_arena + ctx->input_bytes + 1);
}

static int on_record(const struct ts_csv_record *rec, void *vctx, struct ts_err *err)
{
	struct read_ctx *ctx = vctx;
	struct ts_table *t = ctx->t;
	int rc;

	if (rec->blank) {
		/* A one-column input's empty line is a missing value; elsewhere it is skipped. */
		if (!ctx->header_seen || t->ncols != 1) {
			t->blank_lines++;
			return 0;
		}
	}
	if (!ctx->header_seen) {
		ctx->header_seen = true;
		if (t->names == NULL) {
			rc = set_header(t, rec);
			return rc == TS_ENOMEM ? ts_err_set(err, rc, "out of memory") : 0;
		}
		if (!header_matches(t, rec))
			return ts_err_at(err, TS_EINPUT, rec->line, "header differs from the first input's");
		return 0;
	}
	if (rec->nfields != t->ncols) {
		ts_err_at(err, TS_EINPUT, rec->line, "expected %zu field%s, found %zu",
			  t->ncols, t->ncols == 1 ? "" : "s", rec->nfields);
		if (ctx->skip == NULL || !ctx->skip->skip_bad || err == NULL)
			return TS_EINPUT;
		skip_row(ctx, err);
		return 0;
	}
	if (append_row(t, rec, ctx->src) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (ctx->input_bytes > 0 && t->nrows - ctx->first_row == SAMPLE_ROWS)
		reserve_for_input(ctx);
	return 0;
}

int ts_table_read(struct ts_table *t, FILE *f, const char *name, char delim, struct ts_err *err)
{
	return ts_table_read_skip(t, f, name, delim, NULL, err);
}

int ts_table_read_skip(struct ts_table *t, FILE *f, const char *name, char delim,
		       const struct ts_load_opts *opts, struct ts_err *err)
{
	struct read_ctx ctx = { .t = t, .name = name, .skip = opts,
				.first_row = t->nrows, .first_arena = t->arena_len };
	struct ts_csv_reader *reader;
	struct stat st;
	int rc;

	if (table_add_file(t, name, &ctx.src) != 0)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	if (fileno(f) >= 0 && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		off_t at = ftello(f);
		if (at >= 0 && st.st_size > at && (uintmax_t)(st.st_size - at) < SIZE_MAX / 2)
			ctx.input_bytes = (size_t)(st.st_size - at);
	}
	reader = ts_csv_reader_new(delim);
	if (reader == NULL)
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	rc = ts_csv_read_stream(reader, f, on_record, &ctx, err);
	if (rc == TS_EINPUT && ctx.header_seen && opts != NULL && opts->skip_bad && err != NULL &&
	    ts_csv_reader_unterminated(reader)) {
		/* the last row, still being written: every row before it is in */
		skip_row(&ctx, err);
		rc = 0;
	}
	if (rc == 0 && t->nfiles == 1) {
		t->delim = ts_csv_reader_delim(reader);
		t->eol = ts_csv_reader_eol(reader);
	}
	ts_csv_reader_free(reader);
	if (rc == 0 && !ctx.header_seen)
		rc = ts_err_at(err, TS_EINPUT, 0, "%s", TS_NO_INPUT);
	if (rc != 0 && err != NULL)
		err->file = t->files[ctx.src];
	return rc;
}

void ts_table_free(struct ts_table *t)
{
	for (size_t c = 0; c < t->ncols && t->names != NULL; c++)
		free(t->names[c]);
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	TS_FREE_ALL(t->names, t->files, t->arena, t->off, t->line, t->src);
	memset(t, 0, sizeof *t);
}

int ts_table_read_file(struct ts_table *t, FILE *f, const char *path, struct ts_err *err)
{
	int rc = ts_table_read(t, f, path, 0, err);

	if (rc != 0) {
		ts_table_free(t);
		if (err != NULL)
			err->file = path;
	}
	return rc;
}

size_t ts_table_column(const struct ts_table *t, const char *spec)
{
	char *end;
	unsigned long index;

	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->names[c], spec) == 0)
			return c;
	if (spec[0] < '1' || spec[0] > '9')
		return TS_NO_COL;
	index = strtoul(spec, &end, 10);
	if (*end != '\0' || index == 0 || index > t->ncols)
		return TS_NO_COL;
	return (size_t)index - 1;
}

size_t ts_table_column_list(const struct ts_table *t, char *buf, size_t size)
{
	const char *more = ", ...";
	size_t len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (size_t c = 0; c < t->ncols; c++) {
		char quoted[64];
		size_t qlen;

		ts_err_quote(t->names[c], strlen(t->names[c]), quoted, sizeof quoted);
		qlen = strlen(quoted);
		/* Room for this name, its separator, and ", ..." should more follow. */
		if (len + 2 + qlen + (c + 1 < t->ncols ? strlen(more) : 0) >= size) {
			const char *cut = c > 0 ? more : more + 2;
			if (len + strlen(cut) < size) {
				memcpy(buf + len, cut, strlen(cut) + 1);
				len += strlen(cut);
			}
			return len;
		}
		if (c > 0) {
			memcpy(buf + len, ", ", 2);
			len += 2;
		}
		memcpy(buf + len, quoted, qlen + 1);
		len += qlen;
	}
	return len;
}

int ts_table_no_column(const struct ts_table *t, const char *what, const char *spec,
		       struct ts_err *err)
{
	char quoted[64], list[200];

	ts_table_column_list(t, list, sizeof list);
	return ts_err_set(err, TS_EDATA, "%s: no column \"%s\" (columns: %s)", what,
			  ts_err_quote(spec, strlen(spec), quoted, sizeof quoted), list);
}

int ts_roles_need_value(const struct ts_table *t, const struct ts_roles *roles, struct ts_err *err)
{
	char list[200];

	if (roles->value != TS_NO_COL)
		return 0;
	ts_table_column_list(t, list, sizeof list);
	return ts_err_set(err, TS_EDATA, "no value column: give -y (columns: %s)", list);
}

static int resolve_one(const struct ts_table *t, const char *what, const char *spec, size_t *col,
		       struct ts_err *err)
{
	*col = ts_table_column(t, spec);
	if (*col == TS_NO_COL)
		return ts_table_no_column(t, what, spec, err);
	return 0;
}

static bool is_role_taken(const struct ts_roles *roles, size_t c)
{
	if (c == roles->time)
		return true;
	for (size_t k = 0; k < roles->nkeys; k++)
		if (roles->keys[k] == c)
			return true;
	return false;
}

/* Whether column c looks numeric: every non-missing value in the first rows
 * parses. Without rows nothing tells, and the column is taken: a header
 * passed on without data keeps its value column from stage to stage. */
static bool column_is_numeric(const struct ts_table *t, size_t c)
{
	const size_t probe_rows = 100;
	bool any = t->nrows == 0;

	for (size_t r = 0; r < t->nrows && r < probe_rows; r++) {
		struct ts_str f = ts_table_field(t, r, c);
		double v;
		if (ts_num_is_missing(f.s, f.len))
			continue;
		if (ts_num_parse(f.s, f.len, &v) != 0)
			return false;
		any = true;
	}
	return any;
}

static int resolve_keys(const struct ts_table *t, const char *key_spec, struct ts_roles *roles,
			struct ts_err *err)
{
	const char *p = key_spec;

	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char name[256];
		int rc;

		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		if (roles->nkeys == TS_MAX_KEYS)
			return ts_err_set(err, TS_EUSAGE, "too many key columns (at most %d)", TS_MAX_KEYS);
		rc = resolve_one(t, "-k", name, &roles->keys[roles->nkeys], err);
		if (rc != 0)
			return rc;
		roles->nkeys++;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int ts_roles_resolve(const struct ts_table *t, const char *time_spec, const char *value_spec,
		     const char *key_spec, struct ts_roles *roles, struct ts_err *err)
{
	static const char *const time_names[] = {
		"ds", "timestamp", "time", "date", "datetime", "@timestamp"
	};
	int rc;

	memset(roles, 0, sizeof *roles);
	roles->value = TS_NO_COL;
	if (key_spec != NULL && (rc = resolve_keys(t, key_spec, roles, err)) != 0)
		return rc;
	if (time_spec != NULL) {
		if ((rc = resolve_one(t, "-t", time_spec, &roles->time, err)) != 0)
			return rc;
	} else {
		roles->time = 0;
		for (size_t n = 0; n < sizeof time_names / sizeof time_names[0]; n++) {
			size_t c;
			for (c = 0; c < t->ncols; c++)
				if (strcasecmp(t->names[c], time_names[n]) == 0)
					break;
			if (c < t->ncols) {
				roles->time = c;
				break;
			}
		}
	}
	if (value_spec != NULL) {
		if ((rc = resolve_one(t, "-y", value_spec, &roles->value, err)) != 0)
			return rc;
		if (roles->value == roles->time)
			return ts_err_set(err, TS_EDATA,
					  "column \"%s\" is both the time and the value column",
					  t->names[roles->value]);
	} else {
		size_t y = ts_table_column(t, "y");
		if (y != TS_NO_COL && !is_role_taken(roles, y)) {
			roles->value = y;
		} else {
			for (size_t c = 0; c < t->ncols; c++) {
				if (!is_role_taken(roles, c) && column_is_numeric(t, c)) {
					roles->value = c;
					break;
				}
			}
		}
	}
	return 0;
}

/* FNV-1a over the key fields of row r, with a separator byte between fields. */
static uint64_t key_hash(const struct ts_table *t, const struct ts_roles *roles, size_t r)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (size_t k = 0; k < roles->nkeys; k++) {
		struct ts_str f = ts_table_field(t, r, roles->keys[k]);
		for (size_t i = 0; i < f.len; i++) {
			h ^= (unsigned char)f.s[i];
			h *= UINT64_C(1099511628211);
		}
		h ^= 0x1f;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Groups by key: open addressing from key hash to group (slots hold group +
 * 1), sized by the groups seen, not the rows, so that it stays in cache. A
 * group's key is kept apart from the table, each key field as its length
 * and bytes, so that matching a row against it reads a small, hot buffer
 * instead of the group's first row somewhere in a long input. */
struct key_table {
	size_t *slot;		/* group + 1, or 0 for free */
	size_t nslots;		/* a power of two, at least twice the groups */
	size_t ngroups;
	uint64_t *hash;		/* per group */
	size_t hash_cap;
	char *keys;		/* the groups' keys, one after the other */
	size_t keys_len, keys_cap;
	size_t *key_at;		/* start of each group's key in keys */
	size_t key_at_cap;
};

static bool key_is(const struct key_table *kt, size_t gi, const struct ts_table *t,
		   const struct ts_roles *roles, size_t r)
{
	const char *key = kt->keys + kt->key_at[gi];

	for (size_t k = 0; k < roles->nkeys; k++) {
		struct ts_str f = ts_table_field(t, r, roles->keys[k]);
		size_t len;
		memcpy(&len, key, sizeof len);
		key += sizeof len;
		if (len != f.len || memcmp(key, f.s, len) != 0)
			return false;
		key += len;
	}
	return true;
}

/* Row r's key as a new group, whose hash is h. */
static int key_add(struct key_table *kt, uint64_t h, const struct ts_table *t,
		   const struct ts_roles *roles, size_t r)
{
	size_t need = 0, gi = kt->ngroups;
	uint64_t *hash;
	size_t *key_at;
	char *keys;

	for (size_t k = 0; k < roles->nkeys; k++)
		need += sizeof(size_t) + ts_table_field(t, r, roles->keys[k]).len;
	if ((hash = ts_grow(kt->hash, &kt->hash_cap, gi + 1, sizeof *hash)) == NULL)
		return TS_ENOMEM;
	kt->hash = hash;
	if ((key_at = ts_grow(kt->key_at, &kt->key_at_cap, gi + 1, sizeof *key_at)) == NULL)
		return TS_ENOMEM;
	kt->key_at = key_at;
	if ((keys = ts_grow(kt->keys, &kt->keys_cap, kt->keys_len + need, 1)) == NULL)
		return TS_ENOMEM;
	kt->keys = keys;
	kt->hash[gi] = h;
	kt->key_at[gi] = kt->keys_len;
	for (size_t k = 0; k < roles->nkeys; k++) {
		struct ts_str f = ts_table_field(t, r, roles->keys[k]);
		memcpy(kt->keys + kt->keys_len, &f.len, sizeof f.len);
		kt->keys_len += sizeof f.len;
		memcpy(kt->keys + kt->keys_len, f.s, f.len);
		kt->keys_len += f.len;
	}
	kt->ngroups++;
	return 0;
}

/* The first free slot on h's probe. */
static size_t free_slot(const struct key_table *kt, uint64_t h)
{
	size_t slot = (size_t)h & (kt->nslots - 1);

	while (kt->slot[slot] != 0)
		slot = (slot + 1) & (kt->nslots - 1);
	return slot;
}

/* The group of row r, a new one if its key is new. */
static int key_group(struct key_table *kt, const struct ts_table *t, const struct ts_roles *roles,
		     size_t r, size_t *group)
{
	uint64_t h = key_hash(t, roles, r);
	size_t slot = (size_t)h & (kt->nslots - 1);

	for (; kt->slot[slot] != 0; slot = (slot + 1) & (kt->nslots - 1)) {
		size_t gi = kt->slot[slot] - 1;
		if (kt->hash[gi] == h && key_is(kt, gi, t, roles, r)) {
			*group = gi;
			return 0;
		}
	}
	if (key_add(kt, h, t, roles, r) != 0)
		return TS_ENOMEM;
	*group = kt->ngroups - 1;
	kt->slot[slot] = kt->ngroups;
	if (2 * kt->ngroups > kt->nslots) {
		/* Half full: double and place every group again. */
		size_t *slots = ts_calloc(2 * kt->nslots, sizeof *slots);
		if (slots == NULL)
			return TS_ENOMEM;
		free(kt->slot);
		kt->slot = slots;
		kt->nslots *= 2;
		for (size_t gi = 0; gi < kt->ngroups; gi++)
			kt->slot[free_slot(kt, kt->hash[gi])] = gi + 1;
	}
	return 0;
}

/* Whether rows a and b have the same key: a sorted input's rows mostly
 * have their previous row's, found without hashing. */
static bool same_key(const struct ts_table *t, const struct ts_roles *roles, size_t a, size_t b)
{
	for (size_t k = 0; k < roles->nkeys; k++) {
		struct ts_str fa = ts_table_field(t, a, roles->keys[k]);
		struct ts_str fb = ts_table_field(t, b, roles->keys[k]);
		if (fa.len != fb.len || memcmp(fa.s, fb.s, fa.len) != 0)
			return false;
	}
	return true;
}

static void key_table_free(struct key_table *kt)
{
	TS_FREE_ALL(kt->slot, kt->hash, kt->keys, kt->key_at);
}

int ts_groups_of_runs(size_t *start, size_t n, size_t nrows, struct ts_groups *g)
{
	size_t ready = 0;

	memset(g, 0, sizeof *g);
	g->rows = ts_rows_alloc(nrows, sizeof *g->rows);
	if (g->rows == NULL) {
		free(start);
		return TS_ENOMEM;
	}
	ts_prefault(g->rows, nrows * sizeof *g->rows, &ready, nrows * sizeof *g->rows);
	for (size_t r = 0; r < nrows; r++)
		g->rows[r] = r;
	start[n] = nrows;
	g->start = start;
	g->n = n;
	return 0;
}

/* Sorted input (every --grouped batch): each group's rows one run, the runs
 * in first-seen order, told from the keys where they change, without a
 * group per row. Returns 0 with g built, 1 when a key comes back after
 * another (g untouched: the rows are grouped the general way), or
 * TS_ENOMEM. */
static int groups_of_runs(const struct ts_table *t, const struct ts_roles *roles, struct ts_groups *g)
{
	struct key_table kt = { .nslots = 1024 };
	size_t *start = NULL, cap = 0, *grown, gi;
	int rc = TS_ENOMEM;

	if ((kt.slot = ts_calloc(kt.nslots, sizeof *kt.slot)) == NULL)
		goto done;
	for (size_t r = 0; r < t->nrows; r++) {
		if (r > 0 && same_key(t, roles, r - 1, r))
			continue;
		if (key_group(&kt, t, roles, r, &gi) != 0)
			goto done;
		if (gi + 1 != kt.ngroups) {
			rc = 1;
			goto done;
		}
		if ((grown = ts_grow(start, &cap, kt.ngroups + 1, sizeof *start)) == NULL)
			goto done;
		start = grown;
		start[gi] = r;
	}
	if ((grown = ts_grow(start, &cap, kt.ngroups + 1, sizeof *start)) == NULL)
		goto done;
	rc = ts_groups_of_runs(grown, kt.ngroups, t->nrows, g);
	start = NULL;	/* g's now, or freed */
done:
	free(start);
	key_table_free(&kt);
	return rc;
}

int ts_groups_build(const struct ts_table *t, const struct ts_roles *roles,
		    struct ts_groups *g, struct ts_err *err)
{
	struct key_table kt = { .nslots = 1024 };
	size_t *group_of = NULL, *fill = NULL, ready = 0;
	int rc;

	memset(g, 0, sizeof *g);
	if (roles->nkeys == 0) {
		size_t *start = ts_mallocarray(2, sizeof *start);
		rc = TS_ENOMEM;
		if (start == NULL)
			goto fail;
		start[0] = 0;
		if ((rc = ts_groups_of_runs(start, 1, t->nrows, g)) != 0)
			goto fail;
		return 0;
	}
	if ((rc = groups_of_runs(t, roles, g)) != 1) {
		if (rc == 0)
			return 0;
		goto fail;
	}
	rc = TS_ENOMEM;
	group_of = ts_rows_alloc(t->nrows, sizeof *group_of);
	kt.slot = ts_calloc(kt.nslots, sizeof *kt.slot);
	if (group_of == NULL || kt.slot == NULL)
		goto fail;
	ts_prefault(group_of, t->nrows * sizeof *group_of, &ready, t->nrows * sizeof *group_of);
	for (size_t r = 0; r < t->nrows; r++) {
		if (r > 0 && same_key(t, roles, r - 1, r)) {
			group_of[r] = group_of[r - 1];
			continue;
		}
		if (key_group(&kt, t, roles, r, &group_of[r]) != 0)
			goto fail;
	}
	g->n = kt.ngroups;
	g->start = ts_calloc(g->n + 1, sizeof *g->start);
	g->rows = ts_rows_alloc(t->nrows, sizeof *g->rows);
	fill = ts_calloc(g->n, sizeof *fill);
	if (g->start == NULL || g->rows == NULL || fill == NULL)
		goto fail;
	ready = 0;
	ts_prefault(g->rows, t->nrows * sizeof *g->rows, &ready, t->nrows * sizeof *g->rows);
	for (size_t r = 0; r < t->nrows; r++)
		g->start[group_of[r] + 1]++;
	for (size_t i = 0; i < g->n; i++)
		g->start[i + 1] += g->start[i];
	for (size_t r = 0; r < t->nrows; r++) {
		size_t gi = group_of[r];
		g->rows[g->start[gi] + fill[gi]++] = r;
	}
	rc = 0;
fail:
	free(group_of);
	free(fill);
	key_table_free(&kt);
	if (rc != 0) {
		ts_groups_free(g);
		ts_err_set(err, rc, "out of memory");
	}
	return rc;
}

void ts_groups_free(struct ts_groups *g)
{
	free(g->start);
	free(g->rows);
	memset(g, 0, sizeof *g);
}

void ts_group_label(const struct ts_table *t, const struct ts_roles *roles,
		    const struct ts_groups *g, size_t gi, struct ts_buf *out)
{
	if (roles->nkeys == 0 || g->start[gi] == g->start[gi + 1])
		return;
	for (size_t k = 0; k < roles->nkeys; k++) {
		struct ts_str f = ts_table_field(t, g->rows[g->start[gi]], roles->keys[k]);
		if (k > 0)
			ts_buf_putc(out, ',');
		ts_buf_put(out, f.s, f.len);
	}
}

static int series_grow(struct ts_series *s, size_t n)
{
	s->t = ts_rows_alloc(n, sizeof *s->t);
	s->y = ts_rows_alloc(n, sizeof *s->y);
	s->row = ts_rows_alloc(n, sizeof *s->row);
	return s->t == NULL || s->y == NULL || s->row == NULL ? TS_ENOMEM : 0;
}

/* ts_table_number's error, apart so that the common path saves no
 * registers for it (called for every value of every row). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int bad_number(const struct ts_table *t, size_t r, size_t c, bool infinite, double *v,
		      struct ts_err *err)
{
	struct ts_str f = ts_table_field(t, r, c);
	char quoted[64];

	*v = NAN;
	if (err != NULL)
		err->file = ts_table_file(t, r);
	return ts_err_at(err, TS_EINPUT, t->line[r], "%s \"%s\" in column %s",
			 infinite ? "infinite value" : "bad number",
			 ts_err_quote(f.s, f.len, quoted, sizeof quoted), t->names[c]);
}

int ts_table_number(const struct ts_table *t, size_t r, size_t c, double *v, struct ts_err *err)
{
	struct ts_str f = ts_table_field(t, r, c);
	int parsed = ts_num_parse(f.s, f.len, v);

	if (parsed == 0 && !isinf(*v))
		return 0;
	return bad_number(t, r, c, parsed == 0, v, err);
}

/* Report a bad row: stop, or under skip_bad warn and go on. */
static int bad_row(const struct ts_table *t, size_t r, const struct ts_load_opts *opts,
		   struct ts_series *s, struct ts_err *err)
{
	err->file = ts_table_file(t, r);
	err->line = t->line[r];
	if (!opts->skip_bad)
		return err->code;
	s->skipped++;
	if (opts->warn != NULL)
		opts->warn(opts->warn_ctx, err);
	ts_err_clear(err);
	return 0;
}

/* A parsed time as the instant it names in zone (ts_time_resolve), with the
 * text in the message of a time that does not exist there. */
static int resolve_time(struct ts_str text, const struct ts_tfmt *fmt, const struct ts_zone *zone,
			ts_time prev, ts_time *when, struct ts_err *err)
{
	char quoted[64], why[sizeof err->msg];

	if (ts_time_resolve(*when, fmt, zone, prev, when, err) == 0)
		return 0;
	snprintf(why, sizeof why, "%s", err->msg);
	return ts_err_set(err, TS_EINPUT, "bad timestamp \"%s\": %.400s",
			  ts_err_quote(text.s, text.len, quoted, sizeof quoted), why);
}

int ts_series_load(const struct ts_table *t, const struct ts_roles *roles,
		   const size_t *rows, size_t nrows, const struct ts_load_opts *opts,
		   struct ts_series *s, struct ts_err *err)
{
	struct ts_err local;
	struct ts_time_cache day = { { 0 }, 0 };
	bool have_fmt = false;
	int rc;

	if (err == NULL)
		err = &local;
	memset(s, 0, sizeof *s);
	if (series_grow(s, nrows) != 0) {
		ts_series_free(s);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nrows; i++) {
		size_t r = rows[i];
		struct ts_str tf = ts_table_field(t, r, roles->time);
		struct ts_tfmt fmt;
		ts_time when;
		double value = NAN;

		ts_table_prefetch(t, rows, nrows, i, roles->time);
		if (ts_time_parse_next(&day, tf.s, tf.len, opts->epoch, &when, &fmt, err) != 0 ||
		    resolve_time(tf, &fmt, opts->zone, s->n > 0 ? s->t[s->n - 1] : INT64_MIN, &when,
				 err) != 0) {
			if ((rc = bad_row(t, r, opts, s, err)) != 0)
				goto fail;
			continue;
		}
		if (roles->value != TS_NO_COL && ts_table_number(t, r, roles->value, &value, err) != 0) {
			if ((rc = bad_row(t, r, opts, s, err)) != 0)
				goto fail;
			continue;
		}
		if (!have_fmt) {
			s->tfmt = fmt;
			have_fmt = true;
		}
		s->t[s->n] = when;
		s->y[s->n] = value;
		s->row[s->n] = r;
		s->n++;
	}
	if (!have_fmt) {
		s->tfmt.kind = TS_TK_DATETIME;
		s->tfmt.sep = ' ';
		s->tfmt.seconds = true;
	}
	if (opts->zone != NULL)
		s->zone = *opts->zone;
	else
		ts_zone_from_fmt(&s->tfmt, &s->zone);
	return 0;
fail:
	ts_series_free(s);
	return rc;
}

size_t ts_table_time_range(const struct ts_table *t, size_t col, const struct ts_load_opts *opts,
			   ts_time *first, ts_time *last)
{
	size_t counted = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		struct ts_str f = ts_table_field(t, r, col);
		struct ts_tfmt fmt;
		ts_time when;

		if (ts_time_parse(f.s, f.len, opts->epoch, &when, &fmt, NULL) != 0 ||
		    ts_time_resolve(when, &fmt, opts->zone, INT64_MIN, &when, NULL) != 0)
			continue;
		if (counted == 0 || when < *first)
			*first = when;
		if (counted == 0 || when > *last)
			*last = when;
		counted++;
	}
	return counted;
}

void ts_series_free(struct ts_series *s)
{
	free(s->t);
	free(s->y);
	free(s->row);
	memset(s, 0, sizeof *s);
}

int ts_outcols_init(struct ts_outcols *o, const struct ts_table *t,
		    const char *const *added, size_t nadded, struct ts_err *err)
{
	memset(o, 0, sizeof *o);
	o->ncols_in = t->ncols;
	o->nadded = nadded;
	o->added_at = ts_calloc(nadded, sizeof *o->added_at);
	o->replaced = ts_calloc(t->ncols, sizeof *o->replaced);
	o->numeric = ts_calloc(nadded, sizeof *o->numeric);
	o->numbers_plain = strchr("0123456789.+-eEinfa", t->delim) == NULL;
	if (o->added_at == NULL || o->replaced == NULL || o->numeric == NULL) {
		ts_outcols_free(o);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	o->ncols_out = t->ncols;
	for (size_t a = 0; a < nadded; a++) {
		size_t c;
		for (c = 0; c < t->ncols; c++)
			if (strcmp(t->names[c], added[a]) == 0)
				break;
		if (c < t->ncols) {
			o->added_at[a] = c;
			o->replaced[c] = true;
		} else {
			o->added_at[a] = o->ncols_out++;
		}
	}
	return 0;
}

void ts_outcols_free(struct ts_outcols *o)
{
	free(o->added_at);
	free(o->replaced);
	free(o->numeric);
	memset(o, 0, sizeof *o);
}

void ts_outcols_set_numeric(struct ts_outcols *o, size_t a)
{
	if (a < o->nadded)
		o->numeric[a] = true;
}

/* Added column a's field at p. */
static char *put_added(const struct ts_outcols *o, size_t a, const struct ts_str *f, char *p, char delim)
{
	if (o->numeric[a] && o->numbers_plain) {
		memcpy(p, f->s, f->len);
		return p + f->len;
	}
	return ts_csv_put_field(p, f->s, f->len, delim);
}

static void put_field(struct ts_buf *out, size_t pos, const char *s, size_t len, char delim)
{
	if (pos > 0)
		ts_buf_putc(out, delim);
	ts_csv_write_field(out, s, len, delim);
}

void ts_write_header(const struct ts_outcols *o, const struct ts_table *t,
		     const char *const *added, struct ts_buf *out)
{
	size_t pos = 0;

	for (size_t c = 0; c < t->ncols; c++, pos++)
		put_field(out, pos, t->names[c], strlen(t->names[c]), t->delim);
	for (size_t a = 0; a < o->nadded; a++)
		if (o->added_at[a] >= t->ncols)
			put_field(out, pos++, added[a], strlen(added[a]), t->delim);
	ts_write_eol(t, out);
}

void ts_write_eol(const struct ts_table *t, struct ts_buf *out)
{
	ts_buf_puts(out, ts_table_eol(t));
}

void ts_write_row(const struct ts_outcols *o, const struct ts_table *t, size_t row,
		  const struct ts_str *cols, const struct ts_str *added, struct ts_buf *out)
{
	const char *eol = ts_table_eol(t);
	size_t room = 2, pos = 0;	/* the line ending: at most CRLF */
	char *p;

	/* Reserve the whole row once: every field at its longest, quoted with
	 * each byte doubled, and a delimiter or newline after it. A row's
	 * fields lie together in the arena, NUL after each. */
	if (cols == NULL && row != TS_NO_COL) {
		size_t first = row * t->ncols;
		room += 2 * (t->off[first + t->ncols] - t->off[first]) + 2 * t->ncols;
	} else {
		for (size_t c = 0; c < t->ncols; c++) {
			size_t len = cols != NULL && cols[c].s != NULL ? cols[c].len
				   : row != TS_NO_COL ? ts_table_field(t, row, c).len : 0;
			room += TS_CSV_FIELD_MAX(len) + 1;
		}
	}
	for (size_t a = 0; a < o->nadded; a++)
		room += TS_CSV_FIELD_MAX(added[a].len) + 1;
	if ((p = ts_buf_reserve(out, room)) == NULL)
		return;
	for (size_t c = 0; c < t->ncols; c++, pos++) {
		struct ts_str f = { "", 0 };
		size_t from = SIZE_MAX;
		if (o->replaced[c]) {
			for (size_t a = 0; a < o->nadded; a++)
				if (o->added_at[a] == c)
					from = a;
		} else if (cols != NULL && cols[c].s != NULL) {
			f = cols[c];
		} else if (row != TS_NO_COL) {
			f = ts_table_field(t, row, c);
		}
		if (pos > 0)
			*p++ = t->delim;
		if (from != SIZE_MAX)
			p = put_added(o, from, &added[from], p, t->delim);
		else
			p = ts_csv_put_field(p, f.s, f.len, t->delim);
	}
	for (size_t a = 0; a < o->nadded; a++) {
		if (o->added_at[a] < t->ncols)
			continue;
		if (pos++ > 0)
			*p++ = t->delim;
		p = put_added(o, a, &added[a], p, t->delim);
	}
	*p++ = eol[0];
	if (eol[1] != '\0')
		*p++ = eol[1];
	out->len = (size_t)(p - out->data);
}

/*
 * The row's fields lie together in the arena, NUL after each: the row is
 * copied as it is, each NUL made the delimiter before the next field (or
 * the first number). That is ts_write_row's output when no field needs
 * quoting: no byte is the delimiter, a quote, CR or LF, and no field starts
 * or ends with a space, what ts_csv_put_field looks at (a NUL inside a field
 * is copied as such, as ts_write_row does); the bytes are checked sixteen at
 * a time with SSE2, the last block overlapping the one before, and the ends
 * of the fields only when the row holds a space.
 */
bool ts_write_row_numbers(const struct ts_outcols *o, const struct ts_table *t, size_t row,
			  const double *v, size_t nv, struct ts_buf *out)
{
	const char delim = t->delim, *eol = ts_table_eol(t);
	const size_t nadded = o->nadded, *off = t->off + row * t->ncols;
	const char *s = t->arena + off[0];
	size_t n = off[t->ncols] - off[0], i = 0;
	bool bad = false, space = false;
	char *p;

	if (nadded == 0 || o->ncols_out != t->ncols + nadded || !o->numbers_plain ||
	    (unsigned char)delim <= ' ' || delim == '"')
		return false;
	/* each number may store up to TS_NUM_BUFSIZE bytes from its start */
	if ((p = ts_buf_reserve(out, n + nadded * (TS_NUM_BUFSIZE + 1) + 2)) == NULL)
		return false;
#ifdef __SSE2__
	if (n >= 16) {
		const __m128i delims = _mm_set1_epi8(delim), quotes = _mm_set1_epi8('"');
		const __m128i lfs = _mm_set1_epi8('\n'), crs = _mm_set1_epi8('\r');
		const __m128i spaces = _mm_set1_epi8(' ');
		__m128i flagged = _mm_setzero_si128(), spaced = _mm_setzero_si128();

		for (i = 0;; i = i + 32 <= n ? i + 16 : n - 16) {
			__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i ends = _mm_or_si128(_mm_cmpeq_epi8(w, lfs), _mm_cmpeq_epi8(w, crs));

			_mm_storeu_si128((__m128i *)(void *)(p + i), w);
			flagged = _mm_or_si128(flagged, _mm_or_si128(ends,
				  _mm_or_si128(_mm_cmpeq_epi8(w, delims), _mm_cmpeq_epi8(w, quotes))));
			spaced = _mm_or_si128(spaced, _mm_cmpeq_epi8(w, spaces));
			if (i + 16 == n)
				break;
		}
		bad = _mm_movemask_epi8(flagged) != 0;
		space = _mm_movemask_epi8(spaced) != 0;
		i = n;
	}
#endif
	for (; i < n; i++) {
		char b = s[i];

		p[i] = b;
		if (b == delim || b == '"' || b == '\n' || b == '\r')
			bad = true;
		space |= b == ' ';
	}
	/* a field that starts or ends with a space is quoted as well */
	for (size_t c = 0; c < t->ncols && space && !bad; c++) {
		size_t len = off[c + 1] - off[c] - 1;
		bad = len > 0 && (s[off[c] - off[0]] == ' ' || s[off[c + 1] - off[0] - 2] == ' ');
	}
	if (bad)
		return false;
	for (size_t c = 1; c <= t->ncols; c++)
		p[off[c] - off[0] - 1] = delim;
	p += n;
	if (nv > nadded)
		nv = nadded;
	p = ts_num_put_fields(v, nv, delim, p);
	for (size_t a = nv; a < nadded; a++)
		if (a > 0)
			*p++ = delim;
	*p++ = eol[0];
	if (eol[1] != '\0')
		*p++ = eol[1];
	out->len = (size_t)(p - out->data);
	return true;
}

int ts_series_restore_skipped(const struct ts_table *tab, const struct ts_roles *roles,
			      const size_t *rows, size_t nrows, const struct ts_load_opts *opts,
			      struct ts_series *s, struct ts_err *err)
{
	ts_time *t = ts_mallocarray(nrows, sizeof *t);
	double *y = ts_mallocarray(nrows, sizeof *y);
	size_t *row = ts_mallocarray(nrows, sizeof *row);
	size_t j = 0, m = 0;

	if (t == NULL || y == NULL || row == NULL) {
		free(t);
		free(y);
		free(row);
		return ts_err_set(err, TS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nrows; i++) {
		struct ts_str tf;
		struct ts_tfmt fmt;
		struct ts_err ignored = { 0 };
		ts_time when;

		if (j < s->n && s->row[j] == rows[i]) {
			t[m] = s->t[j];
			y[m] = s->y[j];
			row[m++] = s->row[j++];
			continue;
		}
		tf = ts_table_field(tab, rows[i], roles->time);
		if (ts_time_parse(tf.s, tf.len, opts->epoch, &when, &fmt, &ignored) != 0 ||
		    ts_time_resolve(when, &fmt, opts->zone, m > 0 ? t[m - 1] : INT64_MIN, &when, &ignored) != 0)
			continue;
		t[m] = when;
		y[m] = NAN;
		row[m++] = rows[i];
	}
	free(s->t);
	free(s->y);
	free(s->row);
	s->t = t;
	s->y = y;
	s->row = row;
	s->n = m;
	return 0;
}
