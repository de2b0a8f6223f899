/*
 * pagecrypt.h - AES-256-GCM for guest pages, bound to where they belong.
 *
 * Contract: a page is encrypted in place under its domain's key with a
 * nonce that never repeats under that key (a random 32-bit prefix chosen
 * with the key, then a 64-bit counter), and authenticated together with
 * its identity as associated data: domain, resource, page offset and
 * version.  A page moved to another offset or resource, swapped with
 * another, or replayed from an older version fails verification.
 * pagecrypt_decrypt() never exposes plaintext of a page that fails: it
 * decrypts into a scratch buffer and copies only after the tag checks out.
 * pagecrypt_reencrypt() re-encrypts an unmodified plaintext with its old
 * nonce and version: GCM is deterministic, so this reproduces the old
 * ciphertext and tag exactly and reveals nothing new (Overshadow's
 * read-only optimisation).  Keys never leave this module's structs, which
 * live in hypervisor memory only.
 */
#ifndef UMBRA_MEM_PAGECRYPT_H
#define UMBRA_MEM_PAGECRYPT_H

#include "base/base.h"

#define PAGECRYPT_KEY_BYTES 32
#define PAGECRYPT_NONCE_BYTES 12
#define PAGECRYPT_TAG_BYTES 16

struct page_key {
	void *ctx;       /* OpenSSL EVP_CIPHER_CTX, keyed once */
	uint32_t domain;
	uint32_t nonce_prefix;
	uint64_t nonce_counter;
	uint8_t scratch[PAGE_SIZE];
};

/* What a page needs besides its ciphertext: kept by the hypervisor. */
struct page_seal {
	uint64_t version;
	uint8_t nonce[PAGECRYPT_NONCE_BYTES];
	uint8_t tag[PAGECRYPT_TAG_BYTES];
};

/* A fresh key from the host's CSPRNG. */
int pagecrypt_key_random(struct page_key *k, uint32_t domain) MUST_CHECK;
/* A key derived (HKDF-SHA256) from a master key and an identity (e.g. an image hash). */
int pagecrypt_key_derive(struct page_key *k, uint32_t domain,
			 const uint8_t master[PAGECRYPT_KEY_BYTES], const void *identity,
			 size_t identity_len) MUST_CHECK;
void pagecrypt_key_destroy(struct page_key *k);

/* Encrypts page in place as a new version (s->version + 1) with a fresh nonce. */
int pagecrypt_encrypt(struct page_key *k, uint8_t *page, uint64_t resource, uint64_t offset,
		      struct page_seal *s) MUST_CHECK;
/*
 * Re-encrypts an unmodified plaintext under its existing seal (same version
 * and nonce); -EBADMSG, with the page untouched, if it was modified after all.
 */
int pagecrypt_reencrypt(struct page_key *k, uint8_t *page, uint64_t resource, uint64_t offset,
			const struct page_seal *s) MUST_CHECK;
/* Verifies and decrypts in place: 0, or -EBADMSG with the page left as it was. */
int pagecrypt_decrypt(struct page_key *k, uint8_t *page, uint64_t resource, uint64_t offset,
		      const struct page_seal *s) MUST_CHECK;

/*
 * For data leaving the VM's memory (cloaked files): seal `in` into `out`
 * under a given version with a fresh random nonce (keys derived from the
 * master key outlive a run, so a counter could repeat), and open it again.
 */
int pagecrypt_seal_copy(struct page_key *k, const uint8_t *in, uint8_t *out, uint64_t resource,
			uint64_t offset, uint64_t version, struct page_seal *s) MUST_CHECK;
int pagecrypt_open_copy(struct page_key *k, const uint8_t *in, uint8_t *out, uint64_t resource,
			uint64_t offset, const struct page_seal *s) MUST_CHECK;

#endif
