/* A product written in C keeps its data in the cloud with Tessera.
 *
 *   ./sync SERVERS PUBLIC_KEYS_JSON_FILE STATE_FILE COMMAND [ARGS]
 *
 *   activate EMAIL PRODUCT_KEY SITE_DATA_JSON   activate the license, send the site data
 *   connect ACTIVATION_CODE SITE_CODE [RECORDS_JSON_FILE]
 *                                  data check (the records; a vendor check: "sync service
 *                                  running"), then the code exchange; without a file, no check
 *   record COLLECTION ID BASE_VERSION DATA_JSON|-   one change into the outbox (- deletes)
 *   first-sync | push | pull | restore | status | outbox
 *   take-back BATCH_ID             the batch the outbox holds, taken out unsent
 *
 * Prints what happened, one "name=value" a line; callbacks print each page and outcome.
 * TESSERA_MACHINE_ID, when set, replaces the operating system's machine id;
 * TESSERA_PRODUCT_VERSION, when set, is this program's version (the cloud may need a minimum).
 * Exit status: 0 done, 1 error (the code and message on stderr), 2 bad command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"

/* The host's local data would be written here; this example counts and prints. */
struct host {
    int pages;
};

static int32_t apply_page(void *ctx, const char *records_json) {
    struct host *h = ctx;
    h->pages++;
    printf("page=%s\n", records_json);
    return 0; /* taken: the cursor may move past this page */
}

static int32_t take_outcomes(void *ctx, const char *outcomes_json) {
    (void)ctx;
    printf("outcomes=%s\n", outcomes_json);
    return 0;
}

static int print_report(const char *what, int32_t rc, char *report) {
    if (rc != TESSERA_OK) return fail(what);
    printf("report=%s\n", report);
    tessera_string_free(report);
    return 0;
}

static int run(TesseraClient *client, int argc, char **argv) {
    const char *cmd = argv[4];
    struct host host = {0};
    char *report = NULL;
    if (strcmp(cmd, "activate") == 0 && argc == 8) {
        if (tessera_activate(client, argv[5], argv[6]) != TESSERA_OK) return fail("tessera_activate");
        if (tessera_send_site_data(client, argv[7]) != TESSERA_OK) return fail("tessera_send_site_data");
        printf("activated\n");
        return 0;
    }
    if (strcmp(cmd, "connect") == 0 && (argc == 7 || argc == 8)) {
        char *records = argc == 8 ? read_file(argv[7]) : NULL;
        if (argc == 8 && !records) return fail("reading the records");
        /* The vendor's own checks, done by the product, passed in as findings. */
        const char *vendor = "[]";
        uint32_t flags = argc == 8 ? 0 : TESSERA_SKIP_CHECK;
        int32_t rc = tessera_activate_cloud(client, argv[5], argv[6], records, vendor, flags);
        free(records);
        if (rc != TESSERA_OK) return fail("tessera_activate_cloud");
        printf("connected=%d\n", tessera_cloud_activated(client));
        return 0;
    }
    if (strcmp(cmd, "record") == 0 && argc == 9) {
        const char *data = strcmp(argv[8], "-") == 0 ? NULL : argv[8];
        if (tessera_record(client, argv[5], argv[6], atoll(argv[7]), data) != TESSERA_OK)
            return fail("tessera_record");
        printf("recorded\n");
        return 0;
    }
    int32_t rc;
    if (strcmp(cmd, "first-sync") == 0) {
        rc = tessera_first_sync(client, apply_page, take_outcomes, &host, &report);
        return print_report("tessera_first_sync", rc, report);
    }
    if (strcmp(cmd, "push") == 0) {
        rc = tessera_push(client, take_outcomes, &host, &report);
        return print_report("tessera_push", rc, report);
    }
    if (strcmp(cmd, "pull") == 0) {
        rc = tessera_pull(client, apply_page, &host, &report);
        return print_report("tessera_pull", rc, report);
    }
    if (strcmp(cmd, "restore") == 0) {
        rc = tessera_restore(client, apply_page, &host, &report);
        return print_report("tessera_restore", rc, report);
    }
    if (strcmp(cmd, "status") == 0) {
        char *status = tessera_sync_status(client);
        if (!status) return fail("tessera_sync_status");
        printf("status=%s\n", status);
        tessera_string_free(status);
        return 0;
    }
    if (strcmp(cmd, "outbox") == 0) {
        char *outbox = tessera_outbox_batch(client);
        if (!outbox) return fail("tessera_outbox_batch");
        printf("outbox=%s\n", outbox);
        tessera_string_free(outbox);
        return 0;
    }
    if (strcmp(cmd, "take-back") == 0 && argc == 6) {
        char *taken = tessera_take_back_batch(client, argv[5]);
        if (!taken) return fail("tessera_take_back_batch");
        printf("taken=%s\n", taken);
        tessera_string_free(taken);
        return 0;
    }
    fprintf(stderr, "unknown command or arguments: %s\n", cmd);
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s SERVERS PUBLIC_KEYS_FILE STATE_FILE COMMAND [ARGS]\n", argv[0]);
        return 2;
    }
    TesseraClient *client = open_client(argv[1], argv[2], argv[3]);
    if (!client) return 1;
    int rc = run(client, argc, argv);
    tessera_close(client);
    return rc;
}
