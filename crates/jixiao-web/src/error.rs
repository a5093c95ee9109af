//! The two ways a request fails: a Chinese error page for people ([`PageError`]) and a JSON error
//! with a stable code for scripts ([`ApiError`]). Neither shows internals: a database error is
//! logged on the server and the user reads a plain sentence.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jixiao_store::StoreError;
use serde::Serialize;

/// A failed page request.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "您没有执行此操作的权限。")
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "表单已失效（缺少或不匹配的安全令牌）。请刷新页面后重新提交。",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("找不到该{what}。"))
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { what, .. } => Self::not_found(what),
            other => {
                eprintln!("数据库错误：{other}");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "数据库操作失败，请稍后重试；如果问题持续，请联系管理员。",
                )
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.status {
            StatusCode::FORBIDDEN => "无权访问",
            StatusCode::NOT_FOUND => "找不到页面",
            StatusCode::PAYLOAD_TOO_LARGE => "文件过大",
            StatusCode::TOO_MANY_REQUESTS => "请求过于频繁",
            s if s.is_server_error() => "服务器错误",
            _ => "无法完成操作",
        };
        (
            self.status,
            crate::view::error_page(title, &self.message).into_response(),
        )
            .into_response()
    }
}

/// A failed API request: `{ "code": "…", "message": "中文…" }`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    /// 稳定的错误代码，供脚本判断（`not_found`、`forbidden`、`unauthorized`、`bad_request`、
    /// `too_large`、`unreadable`、`internal`）。
    pub code: &'static str,
    /// 出错的原因（中文）。
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: status.as_u16(),
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要登录：请在 Authorization 头中提供有效的令牌（Bearer …）。",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您的角色没有执行此操作的权限。",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("找不到该{what}。"),
        )
    }
}

impl From<PageError> for ApiError {
    fn from(error: PageError) -> Self {
        let code = match error.status {
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNPROCESSABLE_ENTITY => "unreadable",
            StatusCode::CONFLICT => "conflict",
            s if s.is_server_error() => "internal",
            _ => "bad_request",
        };
        Self::new(error.status, code, error.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        PageError::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self)).into_response()
    }
}

/// A numeric id from the path; anything else is a Chinese 400 (axum's own rejection is English).
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(text) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| PageError::bad_request("网址中的编号无效。"))?;
        text.parse()
            .map(Id)
            .map_err(|_| PageError::bad_request(format!("“{text}”不是有效的编号。")))
    }
}

/// [`Id`] for the API: the same check, answered in JSON.
#[derive(Debug, Clone, Copy)]
pub struct ApiId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Id::from_request_parts(parts, state)
            .await
            .map(|Id(id)| ApiId(id))
            .map_err(ApiError::from)
    }
}

/// A query string; a malformed one is a Chinese 400.
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for Query<T>
{
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|_| PageError::bad_request("网址中的查询参数无效（如年度应为数字）。"))
    }
}

/// [`Query`] for the API, answered in JSON.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(ApiError::from)
    }
}

/// A form body; anything but a form is a Chinese 400.
#[derive(Debug, Clone)]
pub struct Form<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = PageError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Form::<T>::from_request(request, state)
            .await
            .map(|axum::extract::Form(value)| Form(value))
            .map_err(|_| PageError::bad_request("表单内容无效，请通过页面上的表单提交。"))
    }
}

/// Unknown pages.
pub async fn not_found() -> PageError {
    PageError::not_found("页面")
}
