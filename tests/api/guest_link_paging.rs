//! `GET /api/guest-links` pages: newest first, `limit` per page, `nextBefore` as the
//! cursor to the next page, bad parameters 400 naming the field.

use latchkey_blackbox::guest::{active_link, linked_resident};
use latchkey_blackbox::{TestApp, expect_problem, on_both_stores};
use serde_json::Value;

on_both_stores!(the_list_pages_newest_first_with_a_cursor);

async fn the_list_pages_newest_first_with_a_cursor(app: TestApp) {
    let (me, account) = linked_resident(&app, "host").await;
    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(active_link(&me, account, None).await["id"].as_i64().unwrap());
    }
    made.reverse();
    let page = |query: String| {
        let me = &me;
        async move {
            let body: Value = me
                .get(&format!("/api/guest-links{query}"))
                .await
                .json()
                .await
                .unwrap();
            let ids: Vec<i64> = body["links"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["id"].as_i64().unwrap())
                .collect();
            (ids, body["nextBefore"].clone())
        }
    };
    let (all, next) = page(String::new()).await;
    assert_eq!((all, next), (made.clone(), Value::Null), "one page by default");
    let (first, next) = page("?limit=2".into()).await;
    assert_eq!((first.as_slice(), next.as_i64()), (&made[..2], Some(made[1])));
    let (second, next) = page(format!("?limit=2&before={}", made[1])).await;
    assert_eq!((second.as_slice(), next.as_i64()), (&made[2..4], Some(made[3])));
    let (last, next) = page(format!("?limit=2&before={}", made[3])).await;
    assert_eq!((last.as_slice(), next), (&made[4..], Value::Null));

    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?before=0", "before"),
    ] {
        let problem = expect_problem(
            me.get(&format!("/api/guest-links{query}")).await,
            400,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["field"], field, "{query}");
    }
    expect_problem(me.get("/api/guest-links?limit=ten").await, 400, "invalid_query").await;
}
