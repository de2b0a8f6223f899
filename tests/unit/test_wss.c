/* test_wss.c - working-set sampling estimates the touched fraction. */
#include "check.h"
#include "mem/wss.h"

static unsigned drops;
static void drop(void *opaque, gpa_t page)
{
	(void)opaque, (void)page;
	drops++;
}

int main(void)
{
	struct check_ctx c = {0};
	struct pmap pm;
	struct wss w;
	CHECK(&c, pmap_init(&pm, 0x80000000, 64u << 20) == 0);
	/* Back 8192 pages (32 MiB); then every period touch the first quarter of them. */
	for (gpa_t p = 0; p < 8192; p++)
		pmap_touch(&pm, 0x80000000 + p * PAGE_SIZE);
	CHECK(&c, pm.frames == 8192);
	wss_init(&w, 12345);
	CHECK(&c, wss_active_bytes(&w) == 0);
	for (int period = 0; period < 30; period++) {
		wss_period(&w, &pm, 200, drop, NULL);
		for (gpa_t p = 0; p < 2048; p++)
			pmap_touch(&pm, 0x80000000 + p * PAGE_SIZE);
	}
	uint64_t est = wss_active_bytes(&w), truth = 2048 * PAGE_SIZE;
	printf("wss: estimate %llu MiB for %llu MiB touched of %llu MiB backed\n",
	       (unsigned long long)(est >> 20), (unsigned long long)(truth >> 20),
	       (unsigned long long)((pm.frames * PAGE_SIZE) >> 20));
	CHECK(&c, est > truth / 2 && est < truth * 2);
	CHECK(&c, pm.frames == 8192); /* sampling never changes what is backed */
	CHECK(&c, drops >= 30 * 190);
	/* Nothing touched any more: the estimate falls, slowly. */
	for (int period = 0; period < 40; period++)
		wss_period(&w, &pm, 200, drop, NULL);
	CHECK(&c, wss_active_bytes(&w) < est / 4);
	pmap_destroy(&pm);
	return check_done(&c, "test_wss");
}
