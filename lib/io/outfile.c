/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outfile: writes a file through a temporary beside it and renames it into
 * place, so a failed write leaves the old file; special files in place. */
#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"

static void reset(struct ts_outfile *o)
{
	free(o->target);
	free(o->tmp);
	o->f = NULL;
	o->target = NULL;
	o->tmp = NULL;
}

/* "DIR/.NAME.XXXXXX" beside target. */
static char *tmp_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - target) + 1 : 0;
	const char *base = target + dirlen;
	size_t len = dirlen + 1 + strlen(base) + 8;
	char *name = malloc(len);

	if (name != NULL)
		snprintf(name, len, "%.*s.%s.XXXXXX", (int)dirlen, target, base);
	return name;
}

/* Mode bits of a new file: 0666 less the umask (read by setting it back). */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

static int io_error(struct ts_err *err, const char *path, int saved)
{
	if (err != NULL)
		err->file = path;
	return ts_err_set(err, TS_EIO, "%s", strerror(saved));
}

int ts_outfile_open(struct ts_outfile *o, const char *path, struct ts_err *err)
{
	struct stat st;
	bool exists = stat(path, &st) == 0;
	int fd;

	memset(o, 0, sizeof *o);
	o->existed = exists;
	if (!exists || S_ISREG(st.st_mode)) {
		/* a symlink's file is replaced, the link kept */
		o->target = exists ? realpath(path, NULL) : ts_strndup(path, strlen(path));
		if (o->target == NULL && errno == ENOMEM)
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		if (o->target != NULL && (o->tmp = tmp_name(o->target)) == NULL) {
			reset(o);
			return ts_err_set(err, TS_ENOMEM, "out of memory");
		}
		if (o->tmp != NULL && (fd = mkstemp(o->tmp)) >= 0) {
			(void)fchmod(fd, exists ? st.st_mode & 07777 : new_file_mode());
			if ((o->f = fdopen(fd, "wb")) != NULL)
				return 0;
			close(fd);
			unlink(o->tmp);
		}
		/* no temporary there (an unwritable directory): in place */
		reset(o);
	}
	if ((o->f = fopen(path, "wb")) == NULL)
		return io_error(err, path, errno);
	return 0;
}

int ts_outfile_commit(struct ts_outfile *o, struct ts_err *err)
{
	int failed = ferror(o->f), saved = errno;

	if (fclose(o->f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	o->f = NULL;
	if (!failed && o->tmp != NULL && rename(o->tmp, o->target) != 0) {
		saved = errno;
		unlink(o->tmp);
		reset(o);
		return ts_err_set(err, TS_EIO, "%s", strerror(saved));
	}
	if (failed) {
		if (o->tmp != NULL)
			unlink(o->tmp);
		reset(o);
		return ts_err_set(err, TS_EIO, "write error: %s", strerror(saved));
	}
	reset(o);
	return 0;
}

void ts_outfile_abort(struct ts_outfile *o)
{
	if (o->f != NULL)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	reset(o);
}
