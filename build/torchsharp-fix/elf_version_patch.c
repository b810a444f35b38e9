/*
 * Makes an ELF64 shared library loadable on a libstdc++ that lacks one symbol
 * version: every dynamic symbol bound to that version becomes unversioned, and
 * the version-needs entry itself is pointed at a version the library already
 * requires (name offset and ELF hash both change). The loader checks every
 * version-needs entry, so clearing the symbols alone would not be enough.
 *
 * usage: elf_version_patch FILE MISSING_VERSION FALLBACK_VERSION
 * exit 0: patched, 3: nothing to patch (MISSING_VERSION not required), other: error.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long elf_hash(const char *name) {
    unsigned long h = 0, g;
    while (*name) {
        h = (h << 4) + (unsigned char)*name++;
        if ((g = h & 0xf0000000)) h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

static int fail(const char *file, const char *why) {
    fprintf(stderr, "elf_version_patch: %s: %s\n", file, why);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s FILE MISSING_VERSION FALLBACK_VERSION\n", argv[0]);
        return 2;
    }
    const char *file = argv[1], *missing = argv[2], *fallback = argv[3];
    int fd = open(file, O_RDWR);
    if (fd < 0) return fail(file, "cannot open");
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) return fail(file, "too small");
    unsigned char *base = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) return fail(file, "cannot map");
    Elf64_Ehdr *eh = (Elf64_Ehdr *)base;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64)
        return fail(file, "not an ELF64 file");
    if (eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > (size_t)st.st_size)
        return fail(file, "section table out of range");
    Elf64_Shdr *sh = (Elf64_Shdr *)(base + eh->e_shoff);
    Elf64_Shdr *dynsym = NULL, *versym = NULL, *verneed = NULL;
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type == SHT_DYNSYM) dynsym = &sh[i];
        else if (sh[i].sh_type == SHT_GNU_versym) versym = &sh[i];
        else if (sh[i].sh_type == SHT_GNU_verneed) verneed = &sh[i];
    }
    if (!dynsym || !versym || !verneed) return fail(file, "no symbol versioning sections");
    const char *strtab = (const char *)(base + sh[verneed->sh_link].sh_offset);

    /* Find the entry naming the missing version and an entry naming the fallback. */
    Elf64_Vernaux *target = NULL;
    Elf64_Word fallbackName = 0;
    int haveFallback = 0;
    unsigned char *p = base + verneed->sh_offset;
    for (Elf64_Word n = 0; n < verneed->sh_info; n++) {
        Elf64_Verneed *vn = (Elf64_Verneed *)p;
        unsigned char *q = p + vn->vn_aux;
        for (Elf64_Half a = 0; a < vn->vn_cnt; a++) {
            Elf64_Vernaux *vna = (Elf64_Vernaux *)q;
            const char *name = strtab + vna->vna_name;
            if (strcmp(name, missing) == 0) target = vna;
            else if (strcmp(name, fallback) == 0) { fallbackName = vna->vna_name; haveFallback = 1; }
            if (!vna->vna_next) break;
            q += vna->vna_next;
        }
        if (!vn->vn_next) break;
        p += vn->vn_next;
    }
    if (!target) { munmap(base, st.st_size); close(fd); return 3; }
    if (!haveFallback) return fail(file, "fallback version is not among the versions it needs");

    Elf64_Half index = target->vna_other;
    Elf64_Half *vs = (Elf64_Half *)(base + versym->sh_offset);
    size_t count = dynsym->sh_size / sizeof(Elf64_Sym), cleared = 0;
    for (size_t i = 0; i < count; i++) {
        if ((vs[i] & 0x7fff) == index) { vs[i] = VER_NDX_GLOBAL; cleared++; }
    }
    target->vna_name = fallbackName;
    target->vna_hash = (Elf64_Word)elf_hash(fallback);
    target->vna_flags &= ~VER_FLG_WEAK;
    msync(base, st.st_size, MS_SYNC);
    munmap(base, st.st_size);
    close(fd);
    printf("elf_version_patch: %s: %zu symbol(s) unversioned, %s now reads %s\n", file, cleared, missing, fallback);
    return 0;
}
