//! The OpenAPI document is valid OpenAPI 3.1 and tells the truth: a client that knows only the
//! document (paths, methods, request content types, security scheme, response schemas) checks a
//! table and reads the corpus, and every answer matches the schema the document declares for it.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Fixture, fixture, get, send, token};
use jixiao_web::Config;
use serde_json::{Value, json};

const OPENAPI_31_SCHEMA: &str = include_str!("data/openapi-3.1/schema.json");

async fn document(fx: &Fixture) -> Value {
    let reply = send(&fx.app, get("/api/openapi.json", "")).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

/// Every `$ref` in `value`, as written.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => refs(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

/// Every `description` in `value` that has no Chinese in it.
fn chinese_descriptions(value: &Value, at: &str, english: &mut Vec<String>) {
    let has_chinese = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = format!("{at}/{key}");
                match (key.as_str(), item) {
                    ("description", Value::String(text)) if !has_chinese(text) => {
                        english.push(format!("{here}: {text:?}"));
                    }
                    _ => chinese_descriptions(item, &here, english),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                chinese_descriptions(item, &format!("{at}/{i}"), english);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1_and_every_reference_resolves() {
    let fx = fixture(Config::default()).await;
    let doc = document(&fx).await;
    let schema: Value = serde_json::from_str(OPENAPI_31_SCHEMA).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the OpenAPI 3.1 schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{target} points outside the document"));
        assert!(doc.pointer(pointer).is_some(), "{target} does not resolve");
    }
    // The docs page shows these to people who read Chinese.
    let mut english = Vec::new();
    chinese_descriptions(&doc, "", &mut english);
    assert!(
        english.is_empty(),
        "descriptions not in Chinese: {english:#?}"
    );
    // Each operation has an id a generator can name a function after, and a Chinese summary.
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            assert!(operation["operationId"].is_string(), "{method} {path}");
            let summary = operation["summary"].as_str().unwrap_or_default();
            assert!(
                summary
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{method} {path}: summary {summary:?}"
            );
        }
    }
    fx.finish().await;
}

/// A client built from the document alone.
struct Client<'a> {
    fx: &'a Fixture,
    doc: &'a Value,
    token: String,
}

impl Client<'_> {
    /// The path and method of the operation `id`.
    fn operation(&self, id: &str) -> (String, Method, &Value) {
        for (path, operations) in self.doc["paths"].as_object().expect("paths") {
            for (method, operation) in operations.as_object().expect("operations") {
                if operation["operationId"] == id {
                    let method =
                        Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                    return (path.clone(), method, operation);
                }
            }
        }
        panic!("no operation {id} in the document")
    }

    /// Calls `id` with path parameters and an optional body (sent with the first content type
    /// the document lists), checks the status is one the document declares, and validates a
    /// 200 answer against its declared schema.
    async fn call(
        &self,
        id: &str,
        params: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> (StatusCode, Value) {
        let (mut path, method, operation) = self.operation(id);
        for (name, value) in params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        assert!(
            !path.contains('{'),
            "{id}: a path parameter was not filled: {path}"
        );
        let scheme = self.doc["components"]["securitySchemes"]
            .as_object()
            .and_then(|schemes| schemes.values().next())
            .expect("a security scheme");
        assert_eq!(scheme["scheme"], "bearer");
        let mut request = Request::builder()
            .method(method)
            .uri(&path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        let body = match body {
            Some(bytes) => {
                let content = operation["requestBody"]["content"]
                    .as_object()
                    .and_then(|c| c.keys().next().cloned())
                    .unwrap_or_else(|| panic!("{id} takes no body"));
                request = request.header(header::CONTENT_TYPE, content);
                Body::from(bytes.to_vec())
            }
            None => Body::empty(),
        };
        let reply = send(&self.fx.app, request.body(body).expect("request")).await;
        let status = reply.status;
        assert!(
            operation["responses"][status.as_str()].is_object(),
            "{id}: status {status} is not in the document"
        );
        let answer = reply.json();
        let schema =
            &operation["responses"][status.as_str()]["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{id} {status}: no JSON schema declared");
        // The declared schema, with the document's components beside it so its `$ref`s resolve.
        let mut root = schema.clone();
        root["components"] = self.doc["components"].clone();
        root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        let validator = jsonschema::validator_for(&root).expect("declared schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(&answer)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{id} {status}: {errors:#?}");
        (status, answer)
    }
}

#[tokio::test]
async fn a_client_built_from_the_document_checks_a_table_and_reads_the_corpus() {
    let fx = fixture(Config::default()).await;
    let doc = document(&fx).await;
    let client = Client {
        fx: &fx,
        token: token(&fx, "alice").await,
        doc: &doc,
    };
    let table = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/guangzhou-huadu-rsj.txt"
    ))
    .expect("example");
    let (status, checked) = client.call("check", &[], Some(&table)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        checked.to_string().contains("花都"),
        "the check answers about the table sent"
    );

    let (status, garbage) = client
        .call("check", &[], Some(&[0xff, 0xfe, 0x00, 0x01]))
        .await;
    assert_ne!(status, StatusCode::OK, "{garbage}");

    let (_, documents) = client.call("documents", &[], None).await;
    let first = documents
        .as_array()
        .and_then(|d| d.first())
        .or_else(|| documents["documents"].as_array().and_then(|d| d.first()))
        .expect("a stored document")["id"]
        .to_string();
    client.call("document", &[("id", &first)], None).await;
    client
        .call("document_findings", &[("id", &first)], None)
        .await;
    let (_, projects) = client
        .call("document_projects", &[("id", &first)], None)
        .await;
    let project = projects[0]["id"].to_string();
    client.call("project", &[("id", &project)], None).await;
    let (status, _) = client.call("document", &[("id", "999999")], None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    fx.finish().await;
}
