/*
 * replay_main.c: runs inputs through a fuzz harness without libFuzzer, for
 * the gcc sanitizer build of make check (fuzz/README.md).
 *
 *   fuzz_csv_replay FILE_OR_DIR...
 *
 * Every regular file named, and every regular file directly inside a folder
 * named (in name order), is read whole and passed to LLVMFuzzerTestOneInput
 * once. A crash, a sanitizer report or a broken invariant ends the run with
 * the file's name on stderr; otherwise it prints how many inputs ran and
 * exits 0. No input at all is an error (an empty corpus tests nothing).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define MAX_INPUT (16 * 1024 * 1024)

/* Reads the file whole into *out (malloc'd, free()); its size, or -1. */
static long read_whole(const char *path, uint8_t **out)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size = -1;
	struct stat sb;

	*out = NULL;
	if (!fp)
		return -1;
	if (fstat(fileno(fp), &sb) != 0 || sb.st_size > MAX_INPUT)
		goto done;
	/* one more byte so that an empty file is a valid non-NULL buffer */
	if (!(buf = malloc((size_t)sb.st_size + 1)))
		goto done;
	if (fread(buf, 1, (size_t)sb.st_size, fp) != (size_t)sb.st_size)
		goto done;
	size = (long)sb.st_size;
	*out = buf;
	buf = NULL;
done:
	free(buf);
	fclose(fp);
	return size;
}

static int run_file(const char *path)
{
	uint8_t *data;
	long size = read_whole(path, &data);
	uint8_t *copy;

	if (size < 0) {
		fprintf(stderr, "replay: %s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	/* an exact-size copy, so that reading past the input is caught by ASan */
	copy = malloc(size ? (size_t)size : 1);
	if (!copy) {
		free(data);
		return -1;
	}
	memcpy(copy, data, (size_t)size);
	free(data);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(copy, (size_t)size);
	free(copy);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file directly inside dir, in name order; the count or -1. */
static long run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long ran = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		struct stat sb;
		char *path;

		if (e->d_name[0] == '.')
			continue;
		if (!(path = malloc(len)))
			break;
		snprintf(path, len, "%s/%s", dir, e->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nv = realloc(names, ncap * sizeof(*nv));

			if (!nv) {
				free(path);
				break;
			}
			names = nv;
			cap = ncap;
		}
		names[n++] = path;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		if (ran >= 0 && run_file(names[i]) == 0)
			ran++;
		else
			ran = -1;
		free(names[i]);
	}
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	long total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		long n;

		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		n = S_ISDIR(sb.st_mode) ? run_dir(argv[i]) : run_file(argv[i]) == 0 ? 1 : -1;
		if (n < 0)
			return 1;
		total += n;
	}
	if (total == 0) {
		fprintf(stderr, "replay: no input found\n");
		return 1;
	}
	printf("replay: %ld inputs, no crash\n", total);
	return 0;
}
