/* What the three examples share: the last error printed, a whole file read, and the client
 * opened with the vendor's keys from a file. A product has its own versions of these; they
 * are here so that each example shows only what it is about. */
#ifndef TESSERA_EXAMPLE_H
#define TESSERA_EXAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#include "tessera_client.h"

/* Prints why `what` failed (the library's last error code and message); returns 1. */
static int fail(const char *what) {
    char code[64], message[2048];
    tessera_last_error_code(code, sizeof code);
    tessera_last_error_message(message, sizeof message);
    fprintf(stderr, "%s failed: %s: %s\n", what, code, message);
    return 1;
}

/* The whole file at `path`, NUL-terminated, to free(); NULL if it cannot be read. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) == (size_t)n) {
        text[n] = '\0';
    } else {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* The client for `servers`, trusting the public keys in the file `keys_path` (the JSON of
 * GET /api/v1/public-keys, shipped with the product), its state kept at `state_path`.
 * TESSERA_MACHINE_ID, when set, replaces the operating system's machine id (containers,
 * tests); TESSERA_PRODUCT_VERSION, when set, is this program's version (a product has it
 * built in), which the cloud's code exchange sends. NULL when it cannot be opened, said on
 * stderr. */
static TesseraClient *open_client(const char *servers, const char *keys_path,
                                  const char *state_path) {
    char *keys = read_file(keys_path);
    if (!keys) {
        fprintf(stderr, "cannot read %s\n", keys_path);
        return NULL;
    }
    TesseraConfig config = {
        .servers = servers,
        .public_keys_json = keys,
        .vendor_salt = "acme-crm-salt",
        .state_path = state_path,
        .machine_id = getenv("TESSERA_MACHINE_ID"), /* NULL: the OS machine id */
    };
    TesseraClient *client = tessera_open(&config);
    free(keys); /* borrowed for the call only */
    if (!client) {
        fail("tessera_open");
        return NULL;
    }
    const char *version = getenv("TESSERA_PRODUCT_VERSION");
    if (version && tessera_set_product_version(client, version) != TESSERA_OK) {
        fail("tessera_set_product_version");
        tessera_close(client);
        return NULL;
    }
    return client;
}

#endif
