use std::fmt;

use jiff::Timestamp;
use serde::Serialize;

use crate::ParseError;

/// A 1-based page number from a query string; absurd values are refused rather than clamped,
/// so `?page=0` or `?page=abc` answer 404 instead of a duplicate of page 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(u32);

impl PageNumber {
    pub const FIRST: Self = Self(1);
    const MAX: u32 = 100_000;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        value
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
            .ok_or_else(|| ParseError::InvalidPage(value.chars().take(20).collect()))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// How many items come before this page, at `per_page` a page.
    pub fn offset(self, per_page: u32) -> u64 {
        u64::from(self.0 - 1) * u64::from(per_page)
    }
}

/// Where a listing page sits among all of them; computed once, handed to templates as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pagination {
    pub page: u32,
    pub per_page: u32,
    pub total_items: u64,
    pub total_pages: u32,
}

/// Where a newest-first page of a list ended: the next page starts after this item. Unlike a
/// page number, it stays right when items are added meanwhile, and reaching deep costs no more
/// than the first page. Written `{seconds}.{id}` in addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct After<I> {
    pub at: Timestamp,
    pub id: I,
}

impl<I: From<i64> + fmt::Display + Copy> After<I> {
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let invalid = || ParseError::InvalidCursor(value.chars().take(40).collect());
        let (seconds, id) = value.split_once('.').ok_or_else(invalid)?;
        let seconds: i64 = seconds.parse().map_err(|_| invalid())?;
        let id: i64 = id.parse().map_err(|_| invalid())?;
        let at = Timestamp::from_second(seconds).map_err(|_| invalid())?;
        Ok(Self { at, id: id.into() })
    }
}

impl<I: fmt::Display> fmt::Display for After<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.at.as_second(), self.id)
    }
}

impl Pagination {
    pub fn new(page: PageNumber, per_page: u32, total_items: u64) -> Self {
        let per_page = per_page.max(1);
        let total_pages =
            u32::try_from(total_items.div_ceil(u64::from(per_page)).max(1)).unwrap_or(u32::MAX);
        Self {
            page: page.get(),
            per_page,
            total_items,
            total_pages,
        }
    }

    pub fn offset(&self) -> u64 {
        PageNumber(self.page).offset(self.per_page)
    }

    /// A page past the last one does not exist (except page 1 of an empty listing).
    pub fn is_out_of_range(&self) -> bool {
        self.page > self.total_pages
    }

    pub fn previous(&self) -> Option<u32> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<u32> {
        (self.page < self.total_pages).then(|| self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(PageNumber::parse("3").unwrap().get(), 3);
        for bad in ["0", "-1", "abc", "", "1e3", "99999999999"] {
            assert!(PageNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cursors_read_back_what_they_write() {
        let after = After {
            at: Timestamp::from_second(1_764_000_000).unwrap(),
            id: crate::ArticleId(42),
        };
        assert_eq!(after.to_string(), "1764000000.42");
        assert_eq!(After::parse("1764000000.42"), Ok(after));
        for bad in ["", "42", "abc.1", "1.abc", "1.2.3", "99999999999999999.1"] {
            assert!(After::<crate::ArticleId>::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_and_offsets() {
        let p = Pagination::new(PageNumber::parse("2").unwrap(), 10, 25);
        assert_eq!(
            (p.total_pages, p.offset(), p.previous(), p.next()),
            (3, 10, Some(1), Some(3))
        );
        assert!(!p.is_out_of_range());
        let empty = Pagination::new(PageNumber::FIRST, 10, 0);
        assert_eq!((empty.total_pages, empty.next()), (1, None));
        assert!(Pagination::new(PageNumber::parse("4").unwrap(), 10, 25).is_out_of_range());
    }
}
