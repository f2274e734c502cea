/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outfile: an output file (ts-plot-csv -o) written whole or not at all,
 * through a temporary beside it, never removing what was there. */
#ifndef TS_OUTFILE_H
#define TS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/tserr.h"

struct ts_outfile {
	FILE *f;		/* where to write */
	char *target;		/* the file to replace (a symlink's target), or NULL in place */
	char *tmp;		/* the temporary beside it, or NULL in place */
	bool existed;		/* path named an existing file */
};

/* Open path for writing. A regular file, or none yet, is written through a
 * temporary in the same directory (the file's own, for a symlink to one)
 * that ts_outfile_commit renames over it, so the file is never truncated
 * or half written; the temporary gets the file's permissions (a new file:
 * 0666 less the umask). Anything else (a device, a FIFO), or a directory
 * where no temporary can be made, is written in place. Errors: TS_EIO with
 * strerror's text (err->file is path); TS_ENOMEM. */
int ts_outfile_open(struct ts_outfile *o, const char *path, struct ts_err *err);

/* Finish: flush and close, then put the temporary in place. Errors: TS_EIO
 * "write error: ..." when a write failed, or the rename's strerror text;
 * the temporary is then gone and the file as it was. */
int ts_outfile_commit(struct ts_outfile *o, struct ts_err *err);

/* Give up: close, and remove the temporary. The file is as it was (written
 * in place: as far as the writes went); it is never removed. */
void ts_outfile_abort(struct ts_outfile *o);

#endif
