//! One page of a newest-first list (login audit, unlock audit).

use crate::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: u64,
    pub page_size: u64,
}

impl PageQuery {
    pub const MAX_PAGE_SIZE: u64 = 500;
    pub const DEFAULT_PAGE_SIZE: u64 = 50;

    pub fn new(page: Option<u64>, page_size: Option<u64>) -> Result<Self, AppError> {
        let page = page.unwrap_or(1);
        let page_size = page_size.unwrap_or(Self::DEFAULT_PAGE_SIZE);
        if page == 0 || page > 1_000_000 {
            return Err(AppError::validation("page", "must be from 1 to 1000000"));
        }
        if page_size == 0 || page_size > Self::MAX_PAGE_SIZE {
            return Err(AppError::validation(
                "pageSize",
                format!("must be from 1 to {}", Self::MAX_PAGE_SIZE),
            ));
        }
        Ok(Self { page, page_size })
    }
}
