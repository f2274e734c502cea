/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_outfile: a file replaced whole or left as it was, with its mode and
 * its symlink kept, no temporary left behind, devices written in place. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "io/outfile.h"

static char dir[] = "/tmp/test_outfile.XXXXXX";

static void path_of(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

/* The file's text (up to 63 bytes). */
static const char *text_of(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Entries of the directory, so that no temporary is left. */
static size_t entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void write_and(const char *path, const char *text, bool commit, int want)
{
	struct ts_outfile o;
	struct ts_err err = { 0 };

	assert_int_equal(ts_outfile_open(&o, path, &err), 0);
	fputs(text, o.f);
	if (commit)
		assert_int_equal(ts_outfile_commit(&o, &err), want);
	else
		ts_outfile_abort(&o);
}

static void test_replace_or_keep(void **state)
{
	char pic[256], link[256];
	struct stat st;
	mode_t mask = umask(022);

	(void)state;
	umask(mask);
	path_of("pic.png", pic, sizeof pic);
	/* a new file, with the umask's mode */
	write_and(pic, "first", true, 0);
	assert_string_equal(text_of(pic), "first");
	assert_int_equal(stat(pic, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0666 & ~mask);
	assert_int_equal(entries(), 1);
	/* given up: the old file as it was, no temporary */
	chmod(pic, 0640);
	write_and(pic, "second", false, 0);
	assert_string_equal(text_of(pic), "first");
	assert_int_equal(entries(), 1);
	/* replaced, its mode kept */
	write_and(pic, "third", true, 0);
	assert_string_equal(text_of(pic), "third");
	assert_int_equal(stat(pic, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* through a symlink: the file is replaced, the link stays a link */
	path_of("link.png", link, sizeof link);
	assert_int_equal(symlink(pic, link), 0);
	write_and(link, "fourth", true, 0);
	assert_string_equal(text_of(pic), "fourth");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(entries(), 2);
	unlink(link);
	unlink(pic);
}

static void test_devices_in_place(void **state)
{
	struct ts_outfile o;
	struct ts_err err = { 0 };
	struct stat st;

	(void)state;
	assert_int_equal(ts_outfile_open(&o, "/dev/null", &err), 0);
	assert_null(o.tmp);
	fputs("x", o.f);
	assert_int_equal(ts_outfile_commit(&o, &err), 0);
	/* a failed write to a device is an error, and the device stays */
	assert_int_equal(ts_outfile_open(&o, "/dev/full", &err), 0);
	for (int i = 0; i < 10000; i++)
		fputs("0123456789", o.f);
	assert_int_equal(ts_outfile_commit(&o, &err), TS_EIO);
	assert_string_equal(err.msg, "write error: No space left on device");
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* a directory that does not exist */
	assert_int_equal(ts_outfile_open(&o, "/nonexistent/dir/x.png", &err), TS_EIO);
	assert_string_equal(err.msg, "No such file or directory");
	assert_string_equal(err.file, "/nonexistent/dir/x.png");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_or_keep),
		cmocka_unit_test(test_devices_in_place),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
