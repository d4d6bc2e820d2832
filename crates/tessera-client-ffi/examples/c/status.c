/* A product written in C asks Tessera whether it may run.
 *
 *   cc status.c -I ../../include -L ../../../../target/debug -ltessera_client_ffi \
 *      -Wl,-rpath,../../../../target/debug -o status
 *   ./status SERVERS PUBLIC_KEYS_JSON_FILE STATE_FILE [EMAIL PRODUCT_KEY]
 *
 * With EMAIL and PRODUCT_KEY it activates this machine when it is not activated yet, then
 * validates once and prints the status, one "name=value" a line. TESSERA_MACHINE_ID, when
 * set, replaces the operating system's machine id (containers, tests). TESSERA_PRODUCT_VERSION,
 * when set, is this program's version: below the product's minimum it prints the version
 * needed (`update_required=1.2.11`), else `update_required=none`; likewise below the version
 * the cloud needs (`cloud_update_required=…`).
 * Exit status: 0 may run, 1 error, 3 not activated, 4 locked (as `tessera agent status`). */
#include <stdio.h>
#include <stdlib.h>

#include "example.h"

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: %s SERVERS PUBLIC_KEYS_FILE STATE_FILE [EMAIL KEY]\n", argv[0]);
        return 2;
    }
    TesseraClient *client = open_client(argv[1], argv[2], argv[3]);
    if (!client) return 1;

    TesseraStatus status;
    int rc = 0;
    if (tessera_status(client, &status) != TESSERA_OK) {
        rc = fail("tessera_status");
    } else if (status.standing == TESSERA_STANDING_NOT_ACTIVATED && argc == 6) {
        if (tessera_activate(client, argv[4], argv[5]) != TESSERA_OK) rc = fail("tessera_activate");
        else printf("activated\n");
    }
    if (rc == 0 && tessera_validate(client) != TESSERA_OK) rc = fail("tessera_validate");
    if (rc == 0 && tessera_status(client, &status) != TESSERA_OK) rc = fail("tessera_status");
    if (rc == 0) {
        char *modules = tessera_modules(client); /* ours: freed below */
        printf("may_run=%d\n", status.may_run);
        printf("standing=%d\n", status.standing);
        printf("days_left=%d\n", status.days_left);
        printf("product=%s\n", status.product);
        printf("edition=%s\n", status.edition);
        printf("users=%d\n", status.users);
        printf("expires_at=%lld\n", (long long)status.expires_at);
        printf("site_id=%s\n", status.site_id);
        printf("modules=%s\n", modules ? modules : "");
        printf("mail=%d\n", tessera_has_module(client, "mail"));
        printf("limit_users=%lld\n", (long long)tessera_limit(client, "users"));
        tessera_string_free(modules);
        const char *version = getenv("TESSERA_PRODUCT_VERSION");
        if (version) {
            char needed[64];
            int required = tessera_update_required(client, version, needed, sizeof needed);
            if (required < 0) rc = fail("tessera_update_required");
            else printf("update_required=%s\n", required ? needed : "none");
            required = tessera_cloud_update_required(client, version, needed, sizeof needed);
            if (required < 0) rc = fail("tessera_cloud_update_required");
            else printf("cloud_update_required=%s\n", required ? needed : "none");
        }
        if (rc == 0) rc = status.may_run ? 0 : status.standing == TESSERA_STANDING_NOT_ACTIVATED ? 3 : 4;
    }
    tessera_close(client);
    return rc;
}
