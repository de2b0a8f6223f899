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
#include <unistd.h>

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

/* Writes dir/fI (time,held,target,balloon) and dir/eI (time,held) for VM I. */
static int split(const char *in, const char *dir, char names[][64], unsigned n)
{
	FILE *f = fopen(in, "r"), *fig[PLOT_MAX_VMS] = {0}, *ev[PLOT_MAX_VMS] = {0};
	char path[128], line[512];
	int rc = f ? 0 : -1;
	for (unsigned i = 0; i < n && !rc; i++) {
		snprintf(path, sizeof(path), "%s/f%u", dir, i);
		fig[i] = fopen(path, "w");
		snprintf(path, sizeof(path), "%s/e%u", dir, i);
		ev[i] = fopen(path, "w");
		rc = fig[i] && ev[i] ? 0 : -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		char vm[64], kind[64];
		unsigned long long t, held, target, balloon;
		if (sscanf(line, "%llu,%63[^,],%63[^,],%llu,%llu,%llu", &t, vm, kind, &held, &target,
			   &balloon) != 6)
			continue;
		for (unsigned i = 0; i < n; i++) {
			if (strcmp(vm, names[i]))
				continue;
			if (!strcmp(kind, "figures"))
				fprintf(fig[i], "%llu,%llu,%llu,%llu\n", t, held, target, balloon);
			else
				fprintf(ev[i], "%llu,%llu\n", t, held);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (fig[i])
			fclose(fig[i]);
		if (ev[i])
			fclose(ev[i]);
	}
	if (f)
		fclose(f);
	return rc;
}

static void cleanup(const char *dir, unsigned n)
{
	char path[128];
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%u", dir, i);
		unlink(path);
		snprintf(path, sizeof(path), "%s/e%u", dir, i);
		unlink(path);
	}
	rmdir(dir);
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
	/* One data file per VM and kind, so that each line is drawn unbroken. */
	char dir[] = "/tmp/umbra-plot-XXXXXX";
	if (!mkdtemp(dir)) {
		fprintf(stderr, "umbra plot: %s\n", strerror(errno));
		return UMBRA_EXIT_ERROR;
	}
	if (split(in, dir, names, n)) {
		fprintf(stderr, "umbra plot: cannot split %s\n", in);
		cleanup(dir, n);
		return UMBRA_EXIT_ERROR;
	}
	size_t len = strlen(out);
	bool png = len > 4 && !strcmp(out + len - 4, ".png");
	FILE *gp = popen("gnuplot", "w");
	if (!gp) {
		fprintf(stderr, "umbra plot: cannot run gnuplot: %s (scripts/setup.sh installs gnuplot-nox)\n",
			strerror(errno));
		cleanup(dir, n);
		return UMBRA_EXIT_ERROR;
	}
	fprintf(gp, "set terminal %s size 1000,560\nset output '%s'\n",
		png ? "pngcairo" : "svg dynamic", out);
	fprintf(gp, "set datafile separator ','\nset key outside right\nset grid\n"
		    "set xlabel 'seconds'\nset ylabel 'MiB'\nset yrange [0:*]\n"
		    "set title 'umbra: host memory per VM (solid: held, dashed: target, dotted: balloon)'\n");
	fprintf(gp, "plot ");
	for (unsigned i = 0; i < n; i++)
		fprintf(gp,
			"%s'%s/f%u' using ($1/1000):($2/1048576) with lines lw 2 lc %u title '%s held', "
			"'%s/f%u' using ($1/1000):($3/1048576) with lines dt 2 lc %u title '%s target', "
			"'%s/f%u' using ($1/1000):($4/1048576) with lines dt 3 lc %u title '%s balloon', "
			"'%s/e%u' using ($1/1000):($2/1048576) with points pt 7 ps 0.5 lc %u title '%s events'",
			i ? ", " : "", dir, i, i + 1, names[i], dir, i, i + 1, names[i], dir, i, i + 1,
			names[i], dir, i, i + 1, names[i]);
	fprintf(gp, "\n");
	int rc = pclose(gp);
	cleanup(dir, n);
	if (rc != 0) {
		fprintf(stderr, "umbra plot: gnuplot failed (status %d)\n", rc);
		return UMBRA_EXIT_ERROR;
	}
	fprintf(stderr, "umbra plot: wrote %s\n", out);
	return 0;
}
