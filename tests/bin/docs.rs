//! The API docs UI and everything it loads come from the binary itself (vendored Swagger
//! UI): no CDN, nothing fetched at build time.

use crate::process::Served;

/// The values of `src="…"` and `href="…"` attributes in `html`.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attr) {
            rest = &rest[start + attr.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    found
}

#[tokio::test]
async fn the_docs_ui_and_every_asset_it_references_are_served() {
    let data = tempfile::tempdir().unwrap();
    let app = Served::start(data.path(), &[], &[]).await;
    let http = reqwest::Client::new();
    let docs = format!("{}/api/docs/", app.base);
    let res = http.get(&docs).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let assets = references(&html);
    assert!(assets.len() >= 3, "{html}");
    for asset in &assets {
        assert!(
            !asset.starts_with("http") && !asset.starts_with("//"),
            "{asset} is loaded from elsewhere"
        );
        let url = reqwest::Url::parse(&docs).unwrap().join(asset).unwrap();
        let res = http.get(url.clone()).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        assert!(!res.bytes().await.unwrap().is_empty(), "{url} is empty");
    }
    // The initializer points the UI at the spec, which is served too.
    let init = http
        .get(format!("{docs}swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/openapi.json"), "{init}");
    let spec = http
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(spec.status(), 200);
    assert_eq!(app.terminate().0.code(), Some(0));
}
