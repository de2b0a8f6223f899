/*
 * plot.c - `umbra plot TRACE.csv [--out FILE.svg|FILE.png]`: a chart of a
 * `umbra host --trace-mem` recording, drawn by gnuplot (Debian's
 * gnuplot-nox): per VM the frames it holds (solid), its target (dashed) and
 * its balloon (dotted), in MiB over seconds, with events marked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define PLOT_MAX_VMS 8

/* The VM names in the trace, in order of appearance. */
static unsigned vm_names(FILE *f, char names[][64])
{
	char line[512];
	unsigned n = 0;
	rewind(f);
	if (!fgets(line, sizeof(line), f))
		return 0;
	while (fgets(line, sizeof(line), f) && n < PLOT_MAX_VMS) {
		char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		bool seen = false;
		for (unsigned i = 0; i < n && !seen; i++)
			seen = !strcmp(names[i], c1 + 1);
		if (!seen)
			snprintf(names[n++], 64, "%s", c1 + 1);
	}
	return n;
}

int cmd_plot(int argc, char **argv)
{
	const char *in = NULL, *out = "umbra-memory.svg";
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!in && argv[i][0] != '-')
			in = argv[i];
		else {
			fprintf(stderr, "umbra plot: unknown option '%s' (usage: umbra plot TRACE.csv [--out F.svg|F.png])\n",
				argv[i]);
			return UMBRA_EXIT_ERROR;
		}
	}
	if (!in) {
		fprintf(stderr, "umbra plot: no trace given (record one with umbra host --trace-mem FILE)\n");
		return UMBRA_EXIT_ERROR;
	}
	FILE *f = fopen(in, "r");
	if (!f) {
		fprintf(stderr, "umbra plot: %s: %s\n", in, strerror(errno));
		return UMBRA_EXIT_ERROR;
	}
	char names[PLOT_MAX_VMS][64];
	unsigned n = vm_names(f, names);
	fclose(f);
	if (!n) {
		fprintf(stderr, "umbra plot: %s: no figures in it (not a --trace-mem recording?)\n", in);
		return UMBRA_EXIT_ERROR;
	}
	size_t len = strlen(out);
	bool png = len > 4 && !strcmp(out + len - 4, ".png");
	FILE *gp = popen("gnuplot", "w");
	if (!gp) {
		fprintf(stderr, "umbra plot: cannot run gnuplot: %s (scripts/setup.sh installs gnuplot-nox)\n",
			strerror(errno));
		return UMBRA_EXIT_ERROR;
	}
	fprintf(gp, "set terminal %s size 1000,560\nset output '%s'\n",
		png ? "pngcairo" : "svg dynamic", out);
	fprintf(gp, "set datafile separator ','\nset key outside right\nset grid\n"
		    "set xlabel 'seconds'\nset ylabel 'MiB'\n"
		    "set title 'umbra: host memory per VM (solid: held, dashed: target, dotted: balloon)'\n");
	fprintf(gp, "plot ");
	for (unsigned i = 0; i < n; i++) {
		const char *sel = "(strcol(2) eq '%s' && strcol(3) eq 'figures' ? %s : 1/0)";
		char held[640], target[640], balloon[640], ev[640];
		snprintf(held, sizeof(held), sel, names[i], "$4/1048576");
		snprintf(target, sizeof(target), sel, names[i], "$5/1048576");
		snprintf(balloon, sizeof(balloon), sel, names[i], "$6/1048576");
		snprintf(ev, sizeof(ev), "(strcol(2) eq '%s' && strcol(3) ne 'figures' ? $4/1048576 : 1/0)", names[i]);
		fprintf(gp,
			"%s'%s' every ::1 using ($1/1000):%s with lines lw 2 lc %u title '%s held', "
			"'%s' every ::1 using ($1/1000):%s with lines dt 2 lc %u title '%s target', "
			"'%s' every ::1 using ($1/1000):%s with lines dt 3 lc %u title '%s balloon', "
			"'%s' every ::1 using ($1/1000):%s with points pt 7 ps 0.6 lc %u title '%s events'",
			i ? ", " : "", in, held, i + 1, names[i], in, target, i + 1, names[i], in, balloon,
			i + 1, names[i], in, ev, i + 1, names[i]);
	}
	fprintf(gp, "\n");
	int rc = pclose(gp);
	if (rc != 0) {
		fprintf(stderr, "umbra plot: gnuplot failed (status %d)\n", rc);
		return UMBRA_EXIT_ERROR;
	}
	fprintf(stderr, "umbra plot: wrote %s\n", out);
	return 0;
}
