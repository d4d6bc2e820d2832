/* A product written in C, on a machine without internet, activates by file (X1,
 * docs/offline.md).
 *
 *   ./offline PUBLIC_KEYS_JSON_FILE STATE_FILE request EMAIL PRODUCT_KEY OUT_FILE
 *   ./offline PUBLIC_KEYS_JSON_FILE STATE_FILE import RESPONSE_FILE
 *   ./offline PUBLIC_KEYS_JSON_FILE STATE_FILE deactivate OUT_FILE
 *
 * `request` writes the request file to carry to the vendor; `import` imports the response
 * file brought back and prints the status, one "name=value" a line; `deactivate` gives the
 * licence up (deleted at once) and writes the file that releases the installation, so the
 * key can activate another machine. The only server it
 * knows never answers. TESSERA_MACHINE_ID, when set, replaces the machine id.
 * Exit status: 0 done (import: may run), 1 error, 2 bad command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"

/* Writes `text` (the library's, freed here) to `out`. */
static int write_request(char *text, const char *out) {
    FILE *f = fopen(out, "wb");
    int rc = 0;
    if (!f || fputs(text, f) == EOF) {
        fprintf(stderr, "cannot write %s\n", out);
        rc = 1;
    }
    if (f) fclose(f);
    tessera_string_free(text);
    if (rc == 0) printf("request written\n");
    return rc;
}

static int request(TesseraClient *client, const char *email, const char *key, const char *out) {
    char *text = tessera_offline_request(client, email, key); /* ours: freed by write_request */
    if (!text) return fail("tessera_offline_request");
    return write_request(text, out);
}

static int deactivate(TesseraClient *client, const char *out) {
    char *text = tessera_offline_deactivation_request(client); /* the licence is gone now */
    if (!text) return fail("tessera_offline_deactivation_request");
    return write_request(text, out);
}

static int import(TesseraClient *client, const char *path) {
    char *response = read_file(path);
    if (!response) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    int ok = tessera_offline_import(client, response);
    free(response);
    if (ok != TESSERA_OK) return fail("tessera_offline_import");
    TesseraStatus status;
    if (tessera_status(client, &status) != TESSERA_OK) return fail("tessera_status");
    printf("imported\n");
    printf("may_run=%d\n", status.may_run);
    printf("days_left=%d\n", status.days_left);
    printf("product=%s\n", status.product);
    return status.may_run ? 0 : 1;
}

int main(int argc, char **argv) {
    int requesting = argc == 7 && strcmp(argv[3], "request") == 0;
    int importing = argc == 5 && strcmp(argv[3], "import") == 0;
    int deactivating = argc == 5 && strcmp(argv[3], "deactivate") == 0;
    if (!requesting && !importing && !deactivating) {
        fprintf(stderr, "usage: %s KEYS STATE (request EMAIL KEY OUT | import FILE | deactivate OUT)\n",
                argv[0]);
        return 2;
    }
    /* The only server it knows never answers. */
    TesseraClient *client = open_client("http://127.0.0.1:9", argv[1], argv[2]);
    if (!client) return 1;
    int rc = requesting     ? request(client, argv[4], argv[5], argv[6])
             : deactivating ? deactivate(client, argv[4])
                            : import(client, argv[4]);
    tessera_close(client);
    return rc;
}
