/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ts-plot-csv: draw what the other tools write, as PNG, SVG or PDF through cairo
 * or as braille in a terminal; --tee passes the CSV on. Options and glue. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "io/frame.h"
#include "core/num.h"
#include "io/outfile.h"
#include "plot/plot.h"

static const char synopsis[] =
	"usage: ts-plot-csv [-o FILE] [-f png|svg|pdf|term] [--tee] [-c COL[,COL]] [--components]\n"
	"                   [--no-components] [--overlay] [--title TEXT] [--width PX] [--height PX]\n"
	"                   [--dpi N] [--theme light|dark] [--cols N] [--rows N]\n"
	"                   [--color auto|always|never] [--last N|DUR] [--floor X] [--max-series N]\n"
	"                   [--only-anomalies] [-t COL] [-y COL] [-k COL[,COL]] [-d C]\n"
	"                   [--tz ZONE] [--epoch s|ms] [--skip-bad] [FILE ...]\n";

static const char help[] =
	"\nDraw time series the way Prophet does: y as dark points, yhat as a blue line\n"
	"in its yhat_lower..yhat_upper band, the future shaded, anomalies in red;\n"
	"ts-decompose output as stacked panels.\n"
	"\nOptions:\n"
	"  -o, --output FILE    write a picture: .png, .svg or .pdf\n"
	"  -f, --format FMT     png, svg, pdf or term: what to write (to standard output\n"
	"                       when there is no -o; needed when it is not a terminal)\n"
	"      --tee            copy the input CSV to standard output unchanged (with -o)\n"
	"  -c, --columns COLS   more numeric columns to draw as lines\n"
	"      --components     stacked panels: trend, seasonal*, remainder and -c columns\n"
	"      --no-components  one panel even for ts-decompose output\n"
	"      --overlay        many series (-k) in one panel instead of a grid\n"
	"      --title TEXT     title (default: the value column and the key columns)\n"
	"      --width PX       picture width in pixels (default 1000)\n"
	"      --height PX      picture height in pixels (default 600)\n"
	"      --dpi N          text and line scale, 100 = as designed (default 100)\n"
	"      --theme THEME    light (default) or dark\n"
	"      --cols N         terminal plot width in characters (default: the terminal's)\n"
	"      --rows N         terminal plot height in lines (default: the terminal's)\n"
	"      --color WHEN     colours in the terminal plot: auto (default), always, never\n"
	"      --last N|DUR     only the last N rows (or DUR) up to each series' last value,\n"
	"                       and the forecast after it\n"
	"      --floor X        draw yhat and the bands no lower than X (0 for counts)\n"
	"      --max-series N   draw at most N series of a -k input (default 25)\n"
	"      --only-anomalies draw only the series with an anomaly (ts-detect's output)\n"
	"\nNO_COLOR (set and not empty) turns colours off unless --color always.\n";

/* The long options this tool takes, from the suite's one table (cli.h). */
static const int tool_options[] = {
	TS_OPT_OUTPUT, TS_OPT_FORMAT, TS_OPT_TEE, TS_OPT_COLUMNS, TS_OPT_COMPONENTS,
	TS_OPT_NO_COMPONENTS, TS_OPT_OVERLAY, TS_OPT_TITLE, TS_OPT_WIDTH, TS_OPT_HEIGHT,
	TS_OPT_DPI, TS_OPT_THEME, TS_OPT_COLS, TS_OPT_ROWS, TS_OPT_COLOR, TS_OPT_LAST,
	TS_OPT_FLOOR, TS_OPT_MAX_SERIES, TS_OPT_ONLY_ANOMALIES, 0
};

/* LeakSanitizer hook: fontconfig, which cairo uses for text, keeps its caches
 * until exit by design; only sanitizer builds ever call this. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig\nleak:libcairo\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

enum { FMT_NONE = -1, FMT_TERM = 3 };

static const struct ts_cli_word formats[] = {
	{ "png", TS_PLOT_PNG, false },
	{ "svg", TS_PLOT_SVG, false },
	{ "pdf", TS_PLOT_PDF, false },
	{ "term", FMT_TERM, false },
	{ NULL, 0, false }
};

static const struct ts_cli_word themes[] = {
	{ "light", TS_PLOT_LIGHT, false },
	{ "dark", TS_PLOT_DARK, false },
	{ NULL, 0, false }
};

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

static const struct ts_cli_word colors[] = {
	{ "auto", COLOR_AUTO, false },
	{ "always", COLOR_ALWAYS, false },
	{ "never", COLOR_NEVER, false },
	{ NULL, 0, false }
};

static int format_of_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return FMT_NONE;
	if (strcasecmp(dot, ".png") == 0)
		return TS_PLOT_PNG;
	if (strcasecmp(dot, ".svg") == 0)
		return TS_PLOT_SVG;
	if (strcasecmp(dot, ".pdf") == 0)
		return TS_PLOT_PDF;
	return FMT_NONE;
}

static int write_file(void *ctx, const unsigned char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* ts_plot_opts.warn: a row --skip-bad leaves out, told on stderr. */
static void warn_skipped(void *ctx, const struct ts_err *err)
{
	ts_cli_warn(ctx, err);
}

/* Read one input whole, for --tee, and parse it from memory. */
static void read_tee(struct ts_cli *cli, const char *path, struct ts_buf *raw, struct ts_table *tab)
{
	struct ts_err err = { 0 };
	const char *name;
	FILE *f = ts_cli_open_input(cli, path, &name), *mem;
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ts_buf_put(raw, chunk, n);
	if (ferror(f)) {
		err.file = name;
		ts_err_set(&err, TS_EIO, "read error: %s", strerror(errno));
		ts_cli_fail(cli, &err);
	}
	ts_cli_close_input(f);
	if (raw->failed) {
		ts_err_set(&err, TS_ENOMEM, "out of memory");
		ts_cli_fail(cli, &err);
	}
	mem = raw->len > 0 ? fmemopen(raw->data, raw->len, "rb") : fopen("/dev/null", "rb");
	if (mem == NULL) {
		ts_err_set(&err, TS_EIO, "%s", strerror(errno));
		ts_cli_fail(cli, &err);
	}
	{
		struct ts_load_opts skip = { .skip_bad = cli->skip_bad, .warn = warn_skipped, .warn_ctx = cli };
		if (ts_table_read_skip(tab, mem, name, cli->delim, &skip, &err) != 0)
			ts_cli_fail(cli, &err);
	}
	fclose(mem);
}

/* -o FILE could not be written: say so, and with --tee that the CSV went on
 * all the same (a cron job downstream still runs), and what FILE holds. */
_Noreturn static void picture_failed(const struct ts_cli *cli, const char *output, bool tee, bool existed,
				     struct ts_err *err)
{
	char why[sizeof err->msg];

	snprintf(why, sizeof why, "%s", err->msg);
	err->file = output;
	if (tee)
		snprintf(err->msg, sizeof err->msg, "%.300s (--tee: the CSV went on; %s)", why,
			 existed ? "the file was left as it was" : "no picture was written");
	ts_cli_fail(cli, err);
}


/* The terminal's size: --cols/--rows, else $COLUMNS/$LINES, else the ioctl, else 80x24. */
static void term_size(struct ts_cli *cli, long long cols, long long rows, size_t *c, size_t *r)
{
	struct winsize ws = { 0 };
	bool have_ws = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0;
	long long env;

	(void)cli;
	*c = 80;
	*r = 24;
	if (have_ws) {
		*c = ws.ws_col;
		*r = ws.ws_row > 2 ? ws.ws_row - 1u : ws.ws_row;
	}
	if (ts_cli_env_int("COLUMNS", 20, 1000, &env))
		*c = (size_t)env;
	if (ts_cli_env_int("LINES", 6, 1000, &env))
		*r = (size_t)env - 1;
	if (cols > 0)
		*c = (size_t)cols;
	if (rows > 0)
		*r = (size_t)rows;
}

int main(int argc, char **argv)
{
	struct ts_cli cli;
	struct ts_cli_input in = { 0 };
	struct ts_plot_figure fig;
	struct ts_plot_opts popts = { .components = -1 };
	struct ts_plot_size size = { 1000, 600, 100, TS_PLOT_LIGHT };
	struct ts_err err = { 0 };
	struct ts_buf raw = { 0 }, out = { 0 };
	const char *output = NULL, *no_color;
	int format = FMT_NONE, color_when = COLOR_AUTO, opt, rc;
	long long cols = 0, rows = 0;
	bool tee = false, tty, color;

	ts_cli_init(&cli, "ts-plot-csv", synopsis, help);
	ts_cli_no_progress(&cli);
	while ((opt = ts_cli_getopt(&cli, &argc, &argv, tool_options, "o:f:c:")) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			format = ts_cli_choice(&cli, "-f", optarg, formats);
			break;
		case 'c':
			popts.columns = optarg;
			break;
		case TS_OPT_TEE:
			tee = true;
			break;
		case TS_OPT_COMPONENTS:
			popts.components = 1;
			break;
		case TS_OPT_NO_COMPONENTS:
			popts.components = 0;
			break;
		case TS_OPT_OVERLAY:
			popts.overlay = true;
			break;
		case TS_OPT_TITLE:
			popts.title = optarg;
			break;
		case TS_OPT_WIDTH:
			size.width = (int)ts_cli_int(&cli, "--width", optarg, 100, 20000);
			break;
		case TS_OPT_HEIGHT:
			size.height = (int)ts_cli_int(&cli, "--height", optarg, 100, 20000);
			break;
		case TS_OPT_DPI:
			size.dpi = (double)ts_cli_int(&cli, "--dpi", optarg, 20, 1200);
			break;
		case TS_OPT_THEME:
			size.theme = ts_cli_choice(&cli, "--theme", optarg, themes);
			break;
		case TS_OPT_COLS:
			cols = ts_cli_int(&cli, "--cols", optarg, 20, 1000);
			break;
		case TS_OPT_ROWS:
			rows = ts_cli_int(&cli, "--rows", optarg, 6, 1000);
			break;
		case TS_OPT_COLOR:
			color_when = ts_cli_choice(&cli, "--color", optarg, colors);
			break;
		case TS_OPT_LAST:
			if (ts_plot_parse_last(optarg, &popts) != 0)
				ts_cli_usage_error(&cli, "--last: bad value \"%s\" (a count of rows or a duration)",
						   optarg);
			break;
		case TS_OPT_FLOOR:
			popts.floor_at = ts_cli_double(&cli, "--floor", optarg, -DBL_MAX, DBL_MAX, 0, "a number");
			popts.floor = true;
			break;
		case TS_OPT_MAX_SERIES:
			popts.max_series = (size_t)ts_cli_int(&cli, "--max-series", optarg, 1, 1000000);
			break;
		case TS_OPT_ONLY_ANOMALIES:
			popts.only_anomalies = true;
			break;
		default:
			ts_cli_usage_error(&cli, "unexpected option");
		}
	}

	tty = isatty(STDOUT_FILENO);
	if (output != NULL && format == FMT_NONE && (format = format_of_path(output)) == FMT_NONE)
		ts_cli_usage_error(&cli, "-o: cannot tell the format of \"%s\" (use .png, .svg or .pdf, or -f)",
				   output);
	if (tee && output == NULL)
		ts_cli_usage_error(&cli, "--tee needs -o FILE: standard output carries the CSV");
	if (tee && argc > 1)
		ts_cli_usage_error(&cli, "--tee copies one input, not %d", argc);
	if (output == NULL && format == FMT_NONE) {
		if (!tty) {
			ts_err_set(&err, TS_EUSAGE, "standard output is not a terminal: give -o FILE, "
				   "or -f png|svg|pdf|term to choose what to write to it");
			ts_cli_fail(&cli, &err);
		}
		format = FMT_TERM;
	}
	if (output == NULL && format != FMT_TERM && tty) {
		ts_err_set(&err, TS_EUSAGE, "refusing to write a binary picture to a terminal: give -o FILE "
			   "or redirect standard output");
		ts_cli_fail(&cli, &err);
	}
	no_color = getenv("NO_COLOR");
	color = color_when == COLOR_ALWAYS ||
		(color_when == COLOR_AUTO && (tty || output == NULL) &&
		 (no_color == NULL || no_color[0] == '\0'));
	ts_cli_setup(&cli);
	popts.epoch = cli.epoch;
	popts.zone = cli.have_zone ? &cli.zone : NULL;
	popts.skip_bad = cli.skip_bad;
	popts.warn = warn_skipped;
	popts.warn_ctx = &cli;

	if (tee)
		read_tee(&cli, argc > 0 ? argv[0] : "-", &raw, &in.tab);
	else
		ts_cli_read_inputs(&cli, argc, argv, &in.tab);
	ts_cli_whole_input(&cli, &in.tab, "a picture draws every series at once");
	ts_cli_roles(&cli, &in.tab, &in.roles);
	if (tee && ts_table_nrows(&in.tab) == 0) {
		/* In the middle of a pipeline the last stage decides: pass the
		 * header on, draw nothing, and say so. */
		err.file = ts_table_first_file(&in.tab);
		ts_cli_warn_no_data(&cli, &in.tab, "nothing drawn");
		ts_cli_write(&cli, &raw);
		ts_buf_free(&raw);
		ts_cli_input_free(&in);
		return ts_cli_finish(&cli, TS_EXIT_OK);
	}
	if (ts_groups_build(&in.tab, &in.roles, &in.groups, &err) != 0)
		ts_cli_fail(&cli, &err);
	if ((rc = ts_plot_build(&in.tab, &in.roles, &in.groups, &popts, &fig, &err)) != 0) {
		if (rc == TS_EUSAGE)
			ts_cli_usage_error(&cli, "%s", err.msg);
		if (err.file == NULL)
			err.file = ts_table_first_file(&in.tab);
		ts_cli_fail(&cli, &err);
	}
	/* The CSV goes on before the picture is drawn: a picture that fails
	 * (a full disk) never stops the alert downstream; it says so. */
	fig.skipped += ts_table_skipped(&in.tab);	/* ragged rows the reader left out */
	ts_cli_warn_skipped(&cli, fig.skipped);
	if (tee)
		ts_cli_write(&cli, &raw);

	if (format == FMT_TERM) {
		size_t c, r;
		term_size(&cli, cols, rows, &c, &r);
		if (ts_plot_term(&fig, c, r, color, size.theme, &out, &err) != 0)
			ts_cli_fail(&cli, &err);
		if (output == NULL) {
			ts_cli_write(&cli, &out);
		} else {
			struct ts_outfile of;
			if (ts_outfile_open(&of, output, &err) != 0)
				picture_failed(&cli, output, tee, of.existed, &err);
			fwrite(out.data, 1, out.len, of.f);
			if (ts_outfile_commit(&of, &err) != 0)
				picture_failed(&cli, output, tee, of.existed, &err);
		}
	} else if (output == NULL) {
		if (ts_plot_cairo_write(&fig, &size, (enum ts_plot_format)format, write_file, stdout, &err) != 0) {
			if (err.code == TS_EIO)
				snprintf(err.msg, sizeof err.msg, "write error: %s", strerror(errno));
			ts_cli_fail(&cli, &err);
		}
	} else {
		/* through a temporary beside the file: a failed picture never
		 * truncates or removes what was there */
		struct ts_outfile of;

		if (ts_outfile_open(&of, output, &err) != 0)
			picture_failed(&cli, output, tee, of.existed, &err);
		rc = ts_plot_cairo_write(&fig, &size, (enum ts_plot_format)format, write_file, of.f, &err);
		if (rc != 0) {
			int saved = errno;
			ts_outfile_abort(&of);
			if (rc == TS_EIO)
				snprintf(err.msg, sizeof err.msg, "write error: %s", strerror(saved));
			picture_failed(&cli, output, tee, of.existed, &err);
		}
		if (ts_outfile_commit(&of, &err) != 0)
			picture_failed(&cli, output, tee, of.existed, &err);
	}
	ts_plot_free(&fig);
	ts_buf_free(&raw);
	ts_buf_free(&out);
	ts_cli_input_free(&in);
	return ts_cli_finish(&cli, TS_EXIT_OK);
}
