/*
 * model.c - the trained-model container: mmap loading with validation, and
 * the writer the trainers use. See model.h for the layout.
 *
 * Every check a damaged file can fail is made before any byte of a section
 * is handed out: magic, container version, the size recorded in the header
 * against the real size (truncation), the checksum over everything after the
 * header (corruption), and each section's bounds and alignment. The
 * checksum reads 8 bytes a step, so validating a 50 MB model takes a few
 * milliseconds.
 */
#include "model.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "util/mem.h"

#define HEADER_FIXED 64u
#define SECTION_ENTRY (MODEL_NAME_LEN + 16u)

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void wr64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xFF);
}

static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xFF);
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

uint64_t model_checksum(const unsigned char *p, size_t n)
{
    /* Four independent lanes keep the multiplier pipeline busy. */
    uint64_t a = 0x9E3779B97F4A7C15ull, b = 0xC2B2AE3D27D4EB4Full,
             c = 0x165667B19E3779F9ull, d = 0x27D4EB2F165667C5ull;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        a = (a ^ w[0]) * 0x100000001B3ull;
        b = (b ^ w[1]) * 0x100000001B3ull;
        c = (c ^ w[2]) * 0x100000001B3ull;
        d = (d ^ w[3]) * 0x100000001B3ull;
        a = a << 31 | a >> 33;
        b = b << 29 | b >> 35;
        c = c << 27 | c >> 37;
        d = d << 25 | d >> 39;
    }
    uint64_t h = mix(a) ^ mix(b + 1) ^ mix(c + 2) ^ mix(d + 3) ^ (uint64_t)n;
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001B3ull;
    return mix(h);
}

static void copy_name(char *dst, const unsigned char *src)
{
    memcpy(dst, src, MODEL_NAME_LEN);
    dst[MODEL_NAME_LEN] = '\0';
}

casus_status model_open(casus_ctx *ctx, const char *path,
                        const char *expect_kind, model_file *out)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ctx_fail(ctx, CASUS_EIO, "%s: cannot open model: %s", path,
                        strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ctx_fail(ctx, CASUS_EIO, "%s: not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    if (size < HEADER_FIXED) {
        close(fd);
        return ctx_fail(ctx, CASUS_EFORMAT,
                        "%s: not a casus model (%zu bytes, too short for the "
                        "header)", path, size);
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return ctx_fail(ctx, CASUS_EIO, "%s: cannot map model: %s", path,
                        strerror(errno));
    const unsigned char *p = map;
    casus_status rc = CASUS_EFORMAT;
    if (memcmp(p, MODEL_MAGIC, 8) != 0) {
        ctx_fail(ctx, rc, "%s: not a casus model (bad magic)", path);
        goto fail;
    }
    uint32_t version = rd32(p + 8), n_sections = rd32(p + 12);
    uint64_t file_size = rd64(p + 16), sum = rd64(p + 24);
    if (version != MODEL_FORMAT_VERSION) {
        ctx_fail(ctx, rc, "%s: model container version %u is not supported "
                          "(this casus reads version %u); rebuild with "
                          "`make models`", path, version, MODEL_FORMAT_VERSION);
        goto fail;
    }
    if (file_size != size) {
        ctx_fail(ctx, rc, "%s: truncated or padded model (%zu bytes, header "
                          "says %llu)", path, size, (unsigned long long)file_size);
        goto fail;
    }
    uint64_t header = HEADER_FIXED + (uint64_t)n_sections * SECTION_ENTRY;
    if (n_sections > 4096 || header > size) {
        ctx_fail(ctx, rc, "%s: corrupted model (bad section count %u)", path,
                 n_sections);
        goto fail;
    }
    if (model_checksum(p + header, size - (size_t)header) != sum) {
        ctx_fail(ctx, rc, "%s: corrupted model (checksum mismatch)", path);
        goto fail;
    }
    out->sections = mem_alloc(ctx, (n_sections ? n_sections : 1) *
                                       sizeof *out->sections);
    if (!out->sections) {
        rc = CASUS_ENOMEM;
        goto fail;
    }
    copy_name(out->kind, p + 32);
    copy_name(out->version, p + 48);
    for (uint32_t i = 0; i < n_sections; i++) {
        const unsigned char *e = p + HEADER_FIXED + (size_t)i * SECTION_ENTRY;
        uint64_t off = rd64(e + MODEL_NAME_LEN), len = rd64(e + MODEL_NAME_LEN + 8);
        if (off < header || off % 8 || off > size || len > size - off) {
            ctx_fail(ctx, rc, "%s: corrupted model (section %u out of bounds)",
                     path, i);
            mem_free(ctx, out->sections);
            out->sections = NULL;
            goto fail;
        }
        copy_name(out->sections[i].name, e);
        out->sections[i].data = p + off;
        out->sections[i].size = len;
    }
    if (expect_kind && strcmp(out->kind, expect_kind) != 0) {
        ctx_fail(ctx, rc, "%s: is a '%s' model, expected '%s'", path,
                 out->kind, expect_kind);
        mem_free(ctx, out->sections);
        out->sections = NULL;
        goto fail;
    }
    out->map = map;
    out->map_size = size;
    out->n_sections = n_sections;
    return CASUS_OK;
fail:
    munmap(map, size);
    memset(out, 0, sizeof *out);
    return rc;
}

#define HUGE_PAGE ((size_t)2 << 20)

casus_status model_make_hot(casus_ctx *ctx, model_file *m)
{
    if (m->hot || !m->map)
        return CASUS_OK;
    if (m->map_size > SIZE_MAX / 2 - HUGE_PAGE)
        return ctx_fail(ctx, CASUS_ENOMEM, "model too large to copy");
    size_t span = (m->map_size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *hot = mem_alloc(ctx, span + HUGE_PAGE);
    if (!hot)
        return CASUS_ENOMEM;
    uintptr_t base = ((uintptr_t)hot + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    unsigned char *dst = (unsigned char *)hot + (base - (uintptr_t)hot);
#ifdef MADV_HUGEPAGE
    /* before the first write, so the pages are huge from the start; a
     * kernel without transparent huge pages just ignores the advice */
    madvise(dst, span, MADV_HUGEPAGE);
#endif
    memcpy(dst, m->map, m->map_size);
    const unsigned char *src = m->map;
    for (uint32_t i = 0; i < m->n_sections; i++)
        m->sections[i].data = dst + (m->sections[i].data - src);
    munmap(m->map, m->map_size);
    m->map = NULL;
    m->hot = hot;
    return CASUS_OK;
}

void model_close(casus_ctx *ctx, model_file *m)
{
    if (m->map)
        munmap(m->map, m->map_size);
    mem_free(ctx, m->hot);
    mem_free(ctx, m->sections);
    memset(m, 0, sizeof *m);
}

const model_section *model_find(const model_file *m, const char *name)
{
    for (uint32_t i = 0; i < m->n_sections; i++)
        if (strcmp(m->sections[i].name, name) == 0)
            return &m->sections[i];
    return NULL;
}

casus_status model_need(casus_ctx *ctx, const model_file *m, const char *path,
                        const char *name, size_t elem,
                        const model_section **out)
{
    const model_section *s = model_find(m, name);
    if (!s)
        return ctx_fail(ctx, CASUS_EFORMAT, "%s: model lacks section '%s'",
                        path, name);
    if (elem && s->size % elem)
        return ctx_fail(ctx, CASUS_EFORMAT,
                        "%s: model section '%s' has a bad size (%llu bytes)",
                        path, name, (unsigned long long)s->size);
    *out = s;
    return CASUS_OK;
}

static void set_name(char *dst, const char *src)
{
    memset(dst, 0, MODEL_NAME_LEN + 1);
    size_t n = strlen(src);
    memcpy(dst, src, n > MODEL_NAME_LEN ? MODEL_NAME_LEN : n);
}

void model_writer_init(model_writer *w, const char *kind, const char *version)
{
    memset(w, 0, sizeof *w);
    set_name(w->kind, kind);
    set_name(w->version, version);
}

casus_status model_writer_add(casus_ctx *ctx, model_writer *w,
                              const char *name, const void *p, size_t n)
{
    if (strlen(name) > MODEL_NAME_LEN)
        return ctx_fail(ctx, CASUS_EINVAL, "model section name '%s' too long",
                        name);
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->sec[i].name, name) == 0)
            return ctx_fail(ctx, CASUS_EINVAL, "duplicate model section '%s'",
                            name);
    if (mem_grow(ctx, (void **)&w->sec, &w->cap, w->n + 1, sizeof *w->sec) !=
        CASUS_OK)
        return CASUS_ENOMEM;
    model_writer_section *sec = &w->sec[w->n];
    set_name(sec->name, name);
    sec->data = (buf)BUF_INIT;
    if (buf_append(ctx, &sec->data, p, n) != CASUS_OK) {
        buf_free(ctx, &sec->data);
        return CASUS_ENOMEM;
    }
    w->n++;
    return CASUS_OK;
}

casus_status model_writer_save(casus_ctx *ctx, model_writer *w,
                               const char *path)
{
    uint64_t header = HEADER_FIXED + (uint64_t)w->n * SECTION_ENTRY;
    uint64_t size = header;
    for (size_t i = 0; i < w->n; i++)
        size = ((size + 7) & ~(uint64_t)7) + w->sec[i].data.n;
    unsigned char *img = mem_alloc(ctx, (size_t)size);
    if (!img)
        return CASUS_ENOMEM;
    memset(img, 0, (size_t)size);
    memcpy(img, MODEL_MAGIC, 8);
    wr32(img + 8, MODEL_FORMAT_VERSION);
    wr32(img + 12, (uint32_t)w->n);
    wr64(img + 16, size);
    memcpy(img + 32, w->kind, MODEL_NAME_LEN);
    memcpy(img + 48, w->version, MODEL_NAME_LEN);
    uint64_t off = header;
    for (size_t i = 0; i < w->n; i++) {
        off = (off + 7) & ~(uint64_t)7;
        unsigned char *e = img + HEADER_FIXED + i * SECTION_ENTRY;
        const buf *d = &w->sec[i].data;
        memcpy(e, w->sec[i].name, MODEL_NAME_LEN);
        wr64(e + MODEL_NAME_LEN, off);
        wr64(e + MODEL_NAME_LEN + 8, d->n);
        if (d->n)
            memcpy(img + off, d->p, d->n);
        off += d->n;
    }
    wr64(img + 24, model_checksum(img + header, (size_t)(size - header)));

    casus_status rc = CASUS_OK;
    buf tmp = BUF_INIT;
    if (buf_printf(ctx, &tmp, "%s.tmp", path) != CASUS_OK) {
        rc = CASUS_ENOMEM;
        goto done;
    }
    FILE *f = fopen(tmp.p, "wb");
    if (!f) {
        rc = ctx_fail(ctx, CASUS_EIO, "%s: cannot create: %s", tmp.p,
                      strerror(errno));
        goto done;
    }
    int bad = fwrite(img, 1, (size_t)size, f) != (size_t)size;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp.p, path) != 0) {
        rc = ctx_fail(ctx, CASUS_EIO, "%s: cannot write model: %s", path,
                      strerror(errno));
        remove(tmp.p);
    }
done:
    buf_free(ctx, &tmp);
    mem_free(ctx, img);
    return rc;
}

void model_writer_free(casus_ctx *ctx, model_writer *w)
{
    for (size_t i = 0; i < w->n; i++)
        buf_free(ctx, &w->sec[i].data);
    mem_free(ctx, w->sec);
    memset(w, 0, sizeof *w);
}
