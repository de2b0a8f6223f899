/*
 * hypercall.h - umbra's own hypercalls (include/umbra/hypercall.h) and the
 * actions taken on protection violations.
 *
 * Contract: hypercall_dispatch() is the hart_env.hypercall hook and
 * hypercall_prot_check() the hart_env.prot_check hook (see cpu/hart.h).
 * Both run on the VM's thread.  The machine supplies the protection table,
 * a way to stop the VM (HALT) and the list of harts (to switch their
 * prot_on flag and drop their cached translations when rights change).
 */
#ifndef UMBRA_FIRMWARE_HYPERCALL_H
#define UMBRA_FIRMWARE_HYPERCALL_H

#include "cpu/hart.h"
#include "mem/cloak.h"
#include "mem/protect.h"

struct hypercalls {
	struct protect *prot;
	struct cloak *cloak;
	const uint8_t *master_key; /* for UMBRA_CLOAK_KEY_DERIVED; NULL: refused */
	const char *state_dir;     /* where file versions are kept; NULL: no cloaked files */
	/* The balloon application: pages umbra holds for it, its target, and its token. */
	uint8_t *bapp;             /* per guest page: 1 = taken by the balloon application */
	uint64_t bapp_pages, bapp_target, bapp_token;
	struct hart **harts;
	unsigned nharts;
	void (*halt)(void *opaque);
	void *opaque;
};

int hypercall_dispatch(struct hypercalls *hc, struct hart *h);
int hypercall_prot_check(struct hypercalls *hc, struct hart *h, gva_t va, gpa_t pa,
			 unsigned acc, unsigned priv, unsigned *perm);
/* protect/cloak ->changed: page's rights or contents changed; drop its translations everywhere. */
void hypercall_page_changed(struct hypercalls *hc, gpa_t page);
/* hart_env.cloak_trap. */
void hypercall_cloak_trap(struct hypercalls *hc, struct hart *h, bool irq, uint64_t code,
			  uint64_t *tval);
/* hart_env.pt_read: a page-table entry at pa is about to be used. */
void hypercall_pt_read(struct hypercalls *hc, gpa_t pa);
/* Before a device touches [pa, pa+len): seals cloaked plaintext there; false if it cannot. */
bool hypercall_dma_prepare(struct hypercalls *hc, gpa_t pa, uint64_t len);

#endif
