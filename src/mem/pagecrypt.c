#include "mem/pagecrypt.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#define FILE_DOMAIN 0xf11e0000u /* the domain field of file seals */

/* The associated data: the page's identity, little-endian, fixed layout. */
struct aad {
	uint8_t bytes[4 + 8 + 8 + 8];
};

static struct aad make_aad(uint32_t domain, uint64_t resource, uint64_t offset, uint64_t version)
{
	struct aad a;
	st_le(a.bytes, domain, 4);
	st_le(a.bytes + 4, resource, 8);
	st_le(a.bytes + 12, offset, 8);
	st_le(a.bytes + 20, version, 8);
	return a;
}

static int key_init(struct page_key *k, uint32_t domain, const uint8_t key[PAGECRYPT_KEY_BYTES])
{
	memset(k, 0, sizeof(*k));
	k->domain = domain;
	if (RAND_bytes((uint8_t *)&k->nonce_prefix, sizeof(k->nonce_prefix)) != 1)
		return -EIO;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (!c)
		return -ENOMEM;
	/* Key once; every operation then only sets its nonce. */
	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, NULL, 1) != 1) {
		EVP_CIPHER_CTX_free(c);
		return -EIO;
	}
	k->ctx = c;
	return 0;
}

int pagecrypt_key_random(struct page_key *k, uint32_t domain)
{
	uint8_t key[PAGECRYPT_KEY_BYTES];
	if (RAND_bytes(key, sizeof(key)) != 1)
		return -EIO;
	int rc = key_init(k, domain, key);
	memset(key, 0, sizeof(key));
	return rc;
}

int pagecrypt_key_derive(struct page_key *k, uint32_t domain,
			 const uint8_t master[PAGECRYPT_KEY_BYTES], const void *identity,
			 size_t identity_len)
{
	uint8_t key[PAGECRYPT_KEY_BYTES];
	size_t len = sizeof(key);
	EVP_PKEY_CTX *p = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	int ok = p && EVP_PKEY_derive_init(p) == 1 &&
		 EVP_PKEY_CTX_set_hkdf_md(p, EVP_sha256()) == 1 &&
		 EVP_PKEY_CTX_set1_hkdf_key(p, master, PAGECRYPT_KEY_BYTES) == 1 &&
		 EVP_PKEY_CTX_set1_hkdf_salt(p, (const uint8_t *)"umbra cloak v1", 14) == 1 &&
		 EVP_PKEY_CTX_add1_hkdf_info(p, identity, (int)identity_len) == 1 &&
		 EVP_PKEY_derive(p, key, &len) == 1;
	EVP_PKEY_CTX_free(p);
	if (!ok)
		return -EIO;
	int rc = key_init(k, domain, key);
	memset(key, 0, sizeof(key));
	return rc;
}

void pagecrypt_key_destroy(struct page_key *k)
{
	EVP_CIPHER_CTX_free(k->ctx);
	memset(k, 0, sizeof(*k));
}

/* One AES-GCM pass over the page: encrypt (enc) into out, or decrypt and check the tag. */
static int gcm(struct page_key *k, bool enc, const uint8_t *in, uint8_t *out,
	       const struct aad *a, const uint8_t nonce[PAGECRYPT_NONCE_BYTES], uint8_t tag[16])
{
	EVP_CIPHER_CTX *c = k->ctx;
	int n;
	if (EVP_CipherInit_ex(c, NULL, NULL, NULL, nonce, enc) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, a->bytes, sizeof(a->bytes)) != 1 ||
	    EVP_CipherUpdate(c, out, &n, in, (int)PAGE_SIZE) != 1)
		return -EIO;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, PAGECRYPT_TAG_BYTES, tag) != 1)
		return -EIO;
	if (EVP_CipherFinal_ex(c, out + n, &n) != 1)
		return enc ? -EIO : -EBADMSG;
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, PAGECRYPT_TAG_BYTES, tag) != 1)
		return -EIO;
	return 0;
}

int pagecrypt_encrypt(struct page_key *k, uint8_t *page, uint64_t resource, uint64_t offset,
		      struct page_seal *s)
{
	struct page_seal next = {.version = s->version + 1};
	st_le(next.nonce, k->nonce_prefix, 4);
	st_le(next.nonce + 4, ++k->nonce_counter, 8);
	struct aad a = make_aad(k->domain, resource, offset, next.version);
	int rc = gcm(k, true, page, page, &a, next.nonce, next.tag);
	if (!rc)
		*s = next;
	return rc;
}

int pagecrypt_reencrypt(struct page_key *k, uint8_t *page, uint64_t resource, uint64_t offset,
			const struct page_seal *s)
{
	/*
	 * Into scratch first: if the plaintext is not the sealed one, its
	 * ciphertext under the old nonce must never be seen (nonce reuse).
	 */
	uint8_t tag[PAGECRYPT_TAG_BYTES];
	struct aad a = make_aad(k->domain, resource, offset, s->version);
	int rc = gcm(k, true, page, k->scratch, &a, s->nonce, tag);
	if (!rc && memcmp(tag, s->tag, sizeof(tag)) != 0)
		rc = -EBADMSG;
	if (!rc)
		memcpy(page, k->scratch, PAGE_SIZE);
	memset(k->scratch, 0, PAGE_SIZE);
	return rc;
}

int pagecrypt_decrypt(struct page_key *k, uint8_t *page, uint64_t resource, uint64_t offset,
		      const struct page_seal *s)
{
	uint8_t tag[PAGECRYPT_TAG_BYTES];
	memcpy(tag, s->tag, sizeof(tag));
	struct aad a = make_aad(k->domain, resource, offset, s->version);
	int rc = gcm(k, false, page, k->scratch, &a, s->nonce, tag);
	if (!rc)
		memcpy(page, k->scratch, PAGE_SIZE);
	memset(k->scratch, 0, PAGE_SIZE);
	return rc;
}

int pagecrypt_seal_copy(struct page_key *k, const uint8_t *in, uint8_t *out, uint64_t resource,
			uint64_t offset, uint64_t version, struct page_seal *s)
{
	struct page_seal next = {.version = version};
	if (RAND_bytes(next.nonce, sizeof(next.nonce)) != 1)
		return -EIO;
	/* Not the domain slot (it may differ next run): the derived key binds the program. */
	struct aad a = make_aad(FILE_DOMAIN, resource, offset, version);
	int rc = gcm(k, true, in, out, &a, next.nonce, next.tag);
	if (!rc)
		*s = next;
	return rc;
}

int pagecrypt_open_copy(struct page_key *k, const uint8_t *in, uint8_t *out, uint64_t resource,
			uint64_t offset, const struct page_seal *s)
{
	uint8_t tag[PAGECRYPT_TAG_BYTES];
	memcpy(tag, s->tag, sizeof(tag));
	struct aad a = make_aad(FILE_DOMAIN, resource, offset, s->version);
	int rc = gcm(k, false, in, k->scratch, &a, s->nonce, tag);
	if (!rc)
		memcpy(out, k->scratch, PAGE_SIZE);
	memset(k->scratch, 0, PAGE_SIZE);
	return rc;
}
