use latchkey_blackbox::{ADMIN, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(create_list_update_users, admin_rules_give_400s_and_404s);

async fn create_list_update_users(app: TestApp) {
    let admin = app.admin().await;
    let res = admin
        .post(
            "/api/admin/users",
            json!({"username": "  Grace  ", "password": "amber-falcon-river-27", "role": "user",
                   "firstName": "Grace", "lastName": "Hopper", "structure": "B 4"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    let user = &body["user"];
    assert_eq!(user["username"], "Grace");
    assert_eq!(user["role"], "user");
    assert_eq!(user["structure"], "B 4");
    assert_eq!(user["disabled"], false);
    assert!(user.get("passwordHash").is_none() && !body.to_string().contains("argon2"));
    let id = user["id"].as_i64().unwrap();

    // Usernames are unique without regard to case.
    let dup = admin
        .post(
            "/api/admin/users",
            json!({"username": "grace", "password": "amber-falcon-river-27"}),
        )
        .await;
    let p = expect_problem(dup, 400, "already_exists").await;
    assert_eq!(p["field"], "username");

    let res = admin
        .put(
            &format!("/api/admin/users/{id}"),
            json!({"structure": "C 1", "lastName": ""}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["ok"], true);
    assert_eq!(updated["user"]["structure"], "C 1");
    assert!(updated["user"]["lastName"].is_null());

    // An admin-set password works at once.
    assert_eq!(
        admin
            .put(
                &format!("/api/admin/users/{id}"),
                json!({"password": "quiet-maple-canyon-64"})
            )
            .await
            .status(),
        200
    );
    app.login_api("grace", "quiet-maple-canyon-64").await;

    let users: Value = admin.get("/api/admin/users").await.json().await.unwrap();
    let names: Vec<&str> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![ADMIN, "Grace"]);

    // A second admin can be created and can log in.
    let res = admin
        .post(
            "/api/admin/users",
            json!({"username": "ops", "password": "amber-falcon-river-27", "role": "admin"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ops = app.login_api("ops", "amber-falcon-river-27").await;
    assert_eq!(ops.get("/api/admin/users").await.status(), 200);
}

async fn admin_rules_give_400s_and_404s(app: TestApp) {
    let admin = app.admin().await;
    let me: Value = admin.get("/api/auth/me").await.json().await.unwrap();
    let my_id = me["id"].as_i64().unwrap();

    expect_problem(
        admin.delete(&format!("/api/admin/users/{my_id}")).await,
        400,
        "cannot_disable_self",
    )
    .await;
    expect_problem(
        admin
            .put(&format!("/api/admin/users/{my_id}"), json!({"disabled": true}))
            .await,
        400,
        "cannot_disable_self",
    )
    .await;
    expect_problem(
        admin.delete(&format!("/api/admin/users/{my_id}/permanent")).await,
        400,
        "cannot_delete_self",
    )
    .await;

    let res = admin
        .post(
            "/api/admin/users",
            json!({"username": "second-admin", "password": "amber-falcon-river-27", "role": "admin"}),
        )
        .await;
    let other = res.json::<Value>().await.unwrap()["user"]["id"].as_i64().unwrap();
    expect_problem(
        admin.delete(&format!("/api/admin/users/{other}/permanent")).await,
        400,
        "cannot_delete_admin",
    )
    .await;
    expect_problem(
        admin
            .post(&format!("/api/admin/users/{other}/reset-password"), json!({}))
            .await,
        400,
        "cannot_reset_admin",
    )
    .await;

    for path in [
        "/api/admin/users/abc",
        "/api/admin/users/0",
        "/api/admin/users/-4",
    ] {
        expect_problem(admin.delete(path).await, 400, "invalid_id").await;
    }
    expect_problem(
        admin
            .put("/api/admin/users/99999", json!({"structure": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(admin.delete("/api/admin/users/99999").await, 404, "not_found").await;
    expect_problem(
        admin
            .post("/api/admin/users/99999/reset-password", json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        admin.post("/api/admin/users/99999/unlock", json!({})).await,
        404,
        "not_found",
    )
    .await;

    let p = expect_problem(
        admin
            .post(
                "/api/admin/users",
                json!({"username": "weak", "password": "Password123!"}),
            )
            .await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "password");
    let p = expect_problem(
        admin
            .post(
                "/api/admin/users",
                json!({"username": "x", "password": "amber-falcon-river-27"}),
            )
            .await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "username");
    let p = expect_problem(
        admin
            .post(
                "/api/admin/users",
                json!({"username": "roleplay", "password": "amber-falcon-river-27", "role": "root"}),
            )
            .await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "role");
}
