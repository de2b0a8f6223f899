/*
 * umbra/hypercall.h - the guest/hypervisor ABI of umbra (version 1).
 *
 * Freestanding: no includes, usable from bare-metal code, static Linux
 * programs and the hypervisor alike.  docs/hypercall-abi.md is the prose
 * version of this file; the two must agree.
 *
 * Calling convention: the SBI one.  `ecall` with a7 = UMBRA_EID, a6 = the
 * function, arguments in a0-a5; on return a0 = error (UMBRA_OK or one of
 * the UMBRA_ERR_* values, which are the SBI error codes) and a1 = value.
 * Every other register is preserved.  An ecall with a7 = UMBRA_EID from U-
 * or S-mode is taken by umbra itself and never reaches the guest kernel.
 *
 * The extension ID lies in the SBI "firmware specific" space
 * (0x0A000000-0x0AFFFFFF), whose low 24 bits must equal the low 24 bits of
 * the SBI implementation ID: umbra's built-in SBI reports 0x554d4252
 * ("UMBR"), so the EID is 0x0A4D4252.  umbra answers it under any firmware,
 * because it sits below the firmware.
 */
#ifndef UMBRA_HYPERCALL_H
#define UMBRA_HYPERCALL_H

#define UMBRA_EID 0x0A4D4252
#define UMBRA_ABI_VERSION 1

/* Function IDs (a6). */
#define UMBRA_FN_PROBE 0         /* -> value: version << 32 | feature bits */
#define UMBRA_FN_PROTECT 1       /* (va, npages, rights, action) -> pages done */
#define UMBRA_FN_UNPROTECT 2     /* (va, npages) -> pages done */
#define UMBRA_FN_QUERY 3         /* (va, what) -> see UMBRA_QUERY_* */
#define UMBRA_FN_SET_HANDLER 4   /* (handler va) -> 0 */
#define UMBRA_FN_UPCALL_RETURN 5 /* (disposition, exit code): does not return */
#define UMBRA_FN_STATS 6         /* (what) -> see UMBRA_STAT_* */
#define UMBRA_FN_CLOAK_CREATE 7  /* (flags, image va, image pages, trampoline, trampoline sp,
				  *  identity pages) -> domain; continues in the domain's view */
#define UMBRA_FN_CLOAK_PAGES 8   /* (va, npages) -> pages done: cloak more own pages */
#define UMBRA_FN_CLOAK_RESUME 9  /* (context, system-call result): from the trampoline only */
#define UMBRA_FN_UNCLOAK 10      /* (va, npages) -> pages done: make own pages public */
#define UMBRA_FN_FILE_SEAL 11    /* (cloaked src, public dst, public meta, resource, offset, version) */
#define UMBRA_FN_FILE_OPEN 12    /* (public src, cloaked dst, public meta, resource, offset, version) */
#define UMBRA_FN_FILE_VERSION 13 /* (resource, bump) -> the resource's latest version */
#define UMBRA_FN_BALLOON_TARGET 14 /* () -> pages the balloon application should hold */
#define UMBRA_FN_BALLOON_TOKEN 15  /* () -> the value to write into every page it gives */
#define UMBRA_FN_BALLOON_GIVE 16   /* (va, npages) -> pages taken by umbra */
#define UMBRA_FN_BALLOON_TAKE 17   /* (va, npages) -> pages given back to the guest */

/* Feature bits of UMBRA_FN_PROBE's value. */
#define UMBRA_FEAT_PROTECT (1u << 0)
#define UMBRA_FEAT_UPCALL (1u << 1)
#define UMBRA_FEAT_CLOAK (1u << 2)

/* Errors (a0): the SBI error codes. */
#define UMBRA_OK 0
#define UMBRA_ERR_FAILED (-1)          /* a limit was reached (see docs) */
#define UMBRA_ERR_NOT_SUPPORTED (-2)   /* unknown function */
#define UMBRA_ERR_INVALID_PARAM (-3)   /* unknown bits, bad action, zero pages */
#define UMBRA_ERR_DENIED (-4)          /* sealed, or protected by another program */
#define UMBRA_ERR_INVALID_ADDRESS (-5) /* unaligned, overflowing, not mapped in the caller */

/*
 * Rights: one byte per environment class in the `rights` argument, each the
 * OR of UMBRA_R, UMBRA_W, UMBRA_X; bit 32 seals the pages.
 *
 *   bits  7..0   the owning program itself (its own address space, U-mode)
 *   bits 15..8   the guest kernel (S-mode; M-mode firmware counts as kernel)
 *   bits 23..16  other user programs (U-mode in any other address space)
 *   bits 31..24  devices (DMA by virtio devices)
 */
#define UMBRA_R 1u
#define UMBRA_W 2u
#define UMBRA_X 4u
#define UMBRA_ENV_OWNER 0
#define UMBRA_ENV_KERNEL 1
#define UMBRA_ENV_OTHER 2
#define UMBRA_ENV_DEVICE 3
#define UMBRA_RIGHTS(owner, kernel, other, device) \
	((unsigned long)(owner) | (unsigned long)(kernel) << 8 | \
	 (unsigned long)(other) << 16 | (unsigned long)(device) << 24)
#define UMBRA_SEAL (1ul << 32)

/*
 * Action on a violation: low 8 bits of the `action` argument; bits 63..32
 * are a tag the program chooses, reported with every violation.
 */
#define UMBRA_ACT_FAULT 0   /* the violator gets the architectural access fault */
#define UMBRA_ACT_SILENT 1  /* reads see zeros, writes are dropped */
#define UMBRA_ACT_REPORT 2  /* allowed, but counted and logged */
#define UMBRA_ACT_HALT 3    /* the VM stops (umbra exits with UMBRA_EXIT_HALTED) */
#define UMBRA_ACT_UPCALL 4  /* the owner's handler runs (violations by others: FAULT) */
#define UMBRA_ACTION(act, tag) ((unsigned long)(act) | (unsigned long)(tag) << 32)

#define UMBRA_EXIT_HALTED 120

/* UMBRA_FN_QUERY `what`. */
#define UMBRA_QUERY_RIGHTS 0     /* rights word | UMBRA_SEAL | UMBRA_PROTECTED, or 0 if unprotected */
#define UMBRA_PROTECTED (1ul << 33)
#define UMBRA_QUERY_ACTION 1     /* the action argument (action | tag << 32) */
#define UMBRA_QUERY_VIOLATIONS 2 /* violations counted on this page */

/* UMBRA_FN_STATS `what`: counters of the calling program. */
#define UMBRA_STAT_VIOLATIONS 0
#define UMBRA_STAT_PAGES 1       /* pages it has protected now */

/*
 * Upcall (one at a time per address space; its saved state lives in umbra,
 * per address space, FP registers included): when the owner itself violates a range whose action is
 * UMBRA_ACT_UPCALL and a handler is set, umbra saves the owner's registers
 * and pc in hypervisor memory and enters the handler with
 *   a0 = faulting address, a1 = access (UMBRA_ACCESS_*), a2 = environment,
 *   a3 = the range's tag, a4 = faulting pc,
 * all other registers as at the fault (the handler runs on the same stack,
 * below sp).  The handler ends with UMBRA_FN_UPCALL_RETURN(disposition,
 * code), which restores the saved registers and:
 */
#define UMBRA_ACCESS_READ 0
#define UMBRA_ACCESS_WRITE 1
#define UMBRA_ACCESS_EXEC 2
#define UMBRA_UPCALL_RETRY 0 /* re-executes the faulting instruction */
#define UMBRA_UPCALL_SKIP 1  /* continues after it */
#define UMBRA_UPCALL_EXIT 2  /* turns the call into the system call exit_group(code)
			      * (a7 = 94, a0 = code) for the kernel to carry out */

/*
 * Cloaking (docs/cloaking.md).  CLOAK_CREATE makes the calling address
 * space a domain: its image pages [image va, + pages) become cloaked, the
 * SHA-256 of the first `identity pages` of them (its code and constants; 0:
 * all) is the program's identity, and the call returns in the domain's
 * view, as thread context 0.  Flags: */
#define UMBRA_CLOAK_KEY_DERIVED 1 /* key from umbra's master key and the identity,
				   * so sealed data survives a restart; else a random key */
/*
 * Any trap out of the domain's view saves the thread's registers in umbra,
 * scrubs them and enters the trampoline instead of the interrupted code:
 * the kernel sees pc = trampoline (trampoline - 4 for a system call, which
 * the kernel steps over), sp = trampoline sp, t0 = the context number, and
 * for a system call a0-a7 as the program set them; every other register 0.
 * The trampoline (uncloaked code) calls CLOAK_RESUME(t0, a0) to return.
 * An access that fails verification is an integrity fault: the domain gets
 * an access fault (its thread traps out) and umbra reports it.
 */

/*
 * Cloaked files (domains with UMBRA_CLOAK_KEY_DERIVED only): FILE_SEAL
 * encrypts one page of the domain's cloaked memory into a public page, and
 * writes UMBRA_FILE_META_BYTES of metadata (nonce, tag) to a public buffer,
 * bound to (resource, offset, version); FILE_OPEN verifies and decrypts it
 * back into a cloaked page (UMBRA_ERR_FAILED: tampered, moved or replayed).
 * FILE_VERSION keeps, per program identity and resource, the latest
 * version in umbra's state directory, so a file replayed from an older
 * version is detected even after the VM or umbra restarts.
 */
#define UMBRA_FILE_META_BYTES 28

/*
 * The balloon application (the cooperative memory scheduling patent's):
 * a guest program asks BALLOON_TARGET how many pages to hold, reserves
 * them, writes the BALLOON_TOKEN value into the first 8 bytes of each page
 * (XOR the page's virtual page number), and reports them with BALLOON_GIVE;
 * umbra walks the caller's page table, checks the value, and takes the
 * frames (scrubbed: the page reads as zero if touched again) for the host,
 * which gives the memory to the VM that needs it.  BALLOON_TAKE returns
 * pages before the program frees them.  From U-mode, or S-mode (bare metal).
 */
#define UMBRA_FEAT_BALLOON_APP (1u << 3)

/* Limits. */
#define UMBRA_MAX_PAGES_PER_CALL 512 /* larger requests report partial progress */
#define UMBRA_MAX_PROTECTED_PAGES 65536 /* per VM */

#endif
