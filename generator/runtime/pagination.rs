use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::Error;

/// What a page says about the pages after it. Each field is `None` when the response does
/// not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The link to the next page: `Some(None)` when the server says there is none (`null`).
    pub next_link: Option<Option<String>>,
    /// How many pages there are.
    pub total_pages: Option<u64>,
}

/// A response that is one page of a list.
pub trait Page {
    type Item;

    /// What the page says about the next one.
    fn page_info(&self) -> PageInfo;

    /// How many items the page holds.
    fn item_count(&self) -> usize;

    /// The items on the page.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A list given as a JSON array: its pages say nothing of the next (a `Link` header may).
impl<T> Page for Vec<T> {
    type Item = T;

    fn page_info(&self) -> PageInfo {
        PageInfo::default()
    }

    fn item_count(&self) -> usize {
        self.len()
    }

    fn into_items(self) -> Vec<T> {
        self
    }
}

/// A page with its response headers: what the body does not say of the next page, an RFC
/// 8288 `Link: <...>; rel="next"` header does (and a `Link` header without `next` says there
/// is none).
impl<P: Page, H> Page for super::response::ResponseValue<P, H> {
    type Item = P::Item;

    fn page_info(&self) -> PageInfo {
        let mut info = self.body().page_info();
        if info.next_link.is_none() && self.headers().contains_key(reqwest::header::LINK) {
            info.next_link = Some(super::response::link_with_rel(self.headers(), "next"));
        }
        info
    }

    fn item_count(&self) -> usize {
        self.body().item_count()
    }

    fn into_items(self) -> Vec<Self::Item> {
        self.into_body().into_items()
    }
}

type PageFuture<P, E> = Pin<Box<dyn Future<Output = Result<P, Error<E>>> + Send>>;
type FetchPage<P, E> = Box<dyn FnMut(PageRequest) -> PageFuture<P, E> + Send>;

/// Which page to fetch next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PageRequest {
    /// The page with this number (page-number pagination).
    Number(u64),
    /// The first page, as the parameters ask for it (next-link pagination).
    First,
    /// The page the previous one links to (next-link pagination).
    Link(String),
    /// The page after the cursor the previous one gave (cursor pagination).
    Cursor(String),
    /// The page whose first item is at this offset (offset pagination).
    Offset(u64),
}

/// How to find the page after this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Follow {
    Number,
    Link,
    Cursor,
    Offset,
}

/// The pages of a list, fetched one after the other as the stream is polled, numbered from
/// the first page asked for. It ends after the last page, after `max_pages`, or after the
/// first error (which it yields).
///
/// Whether a page is the last: a page count says so when the response has one; without it,
/// a `next` link that is `null` or missing (in a response that has links) does; without
/// either, an empty page does.
pub struct Pages<P: Page, E> {
    fetch: FetchPage<P, E>,
    follow: Follow,
    next: Option<PageRequest>,
    fetched: u64,
    max_pages: Option<u64>,
    in_flight: Option<PageFuture<P, E>>,
}

impl<P: Page, E> Pages<P, E> {
    /// Pages asked for by number, from `first` on.
    pub(crate) fn by_number(first: u64, fetch: FetchPage<P, E>) -> Self {
        Self {
            fetch,
            follow: Follow::Number,
            next: Some(PageRequest::Number(first)),
            fetched: 0,
            max_pages: None,
            in_flight: None,
        }
    }

    /// Pages found by following each page's link to the next.
    pub(crate) fn by_link(fetch: FetchPage<P, E>) -> Self {
        Self {
            fetch,
            follow: Follow::Link,
            next: Some(PageRequest::First),
            fetched: 0,
            max_pages: None,
            in_flight: None,
        }
    }

    /// Pages found by passing each page's cursor to the request for the next.
    pub(crate) fn by_cursor(fetch: FetchPage<P, E>) -> Self {
        Self {
            fetch,
            follow: Follow::Cursor,
            next: Some(PageRequest::First),
            fetched: 0,
            max_pages: None,
            in_flight: None,
        }
    }

    /// Pages found by offset: each starts after the items of the one before, from `first`.
    pub(crate) fn by_offset(first: u64, fetch: FetchPage<P, E>) -> Self {
        Self {
            fetch,
            follow: Follow::Offset,
            next: Some(PageRequest::Offset(first)),
            fetched: 0,
            max_pages: None,
            in_flight: None,
        }
    }

    /// Stop after this many pages.
    pub fn max_pages(mut self, max: u64) -> Self {
        self.max_pages = Some(max);
        self
    }

    /// The next page: `None` after the last (or after an error, which it returns first).
    /// The same as `futures::StreamExt::next`, without needing that trait.
    pub async fn next(&mut self) -> Option<Result<P, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of all the pages, one by one.
    pub fn items(self) -> Items<P, E> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
            max_items: None,
            yielded: 0,
            done: false,
        }
    }
}

impl<P: Page, E> Unpin for Pages<P, E> {}

impl<P: Page, E> Stream for Pages<P, E> {
    type Item = Result<P, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.in_flight.is_none() {
            let Some(request) = this.next.clone() else { return Poll::Ready(None) };
            if this.max_pages.is_some_and(|max| this.fetched >= max) {
                this.next = None;
                return Poll::Ready(None);
            }
            this.in_flight = Some((this.fetch)(request));
        }
        let Some(future) = this.in_flight.as_mut() else { return Poll::Ready(None) };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        this.fetched += 1;
        this.next = match (&result, this.follow, this.next.take()) {
            (Err(_), _, _) => None,
            (Ok(page), Follow::Number, Some(PageRequest::Number(current))) => {
                let info = page.page_info();
                let more = page.item_count() > 0
                    && match (info.total_pages, &info.next_link) {
                        (Some(total), _) => current < total,
                        (None, Some(link)) => link.is_some(),
                        (None, None) => true,
                    };
                more.then_some(PageRequest::Number(current + 1))
            }
            (Ok(page), Follow::Link, _) => match page.page_info().next_link {
                Some(Some(link)) if page.item_count() > 0 => Some(PageRequest::Link(link)),
                _ => None,
            },
            // A cursor that is missing, empty, or the one just used ends the list.
            (Ok(page), Follow::Cursor, previous) => match page.page_info().next_link {
                Some(Some(cursor))
                    if page.item_count() > 0
                        && !cursor.is_empty()
                        && previous != Some(PageRequest::Cursor(cursor.clone())) =>
                {
                    Some(PageRequest::Cursor(cursor))
                }
                _ => None,
            },
            (Ok(page), Follow::Offset, Some(PageRequest::Offset(current))) => {
                let count = page.item_count() as u64;
                (count > 0).then_some(PageRequest::Offset(current + count))
            }
            (Ok(_), Follow::Number | Follow::Offset, _) => None,
        };
        Poll::Ready(Some(result))
    }
}

/// The items of a list across its pages.
pub struct Items<P: Page, E> {
    pages: Pages<P, E>,
    buffer: VecDeque<P::Item>,
    max_items: Option<u64>,
    yielded: u64,
    done: bool,
}

impl<P: Page, E> Items<P, E> {
    /// Stop after this many items.
    pub fn max_items(mut self, max: u64) -> Self {
        self.max_items = Some(max);
        self
    }

    /// The next item: `None` after the last (or after an error, which it returns first).
    /// The same as `futures::StreamExt::next`, without needing that trait.
    pub async fn next(&mut self) -> Option<Result<P::Item, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<P: Page, E> Unpin for Items<P, E> {}

impl<P: Page, E> Stream for Items<P, E> {
    type Item = Result<P::Item, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done || this.max_items.is_some_and(|max| this.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => {
                    let items = page.into_items();
                    if items.is_empty() {
                        // An empty page ends the list, whatever the page said.
                        this.done = true;
                        return Poll::Ready(None);
                    }
                    this.buffer.extend(items);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;

    struct FakePage {
        items: Vec<u32>,
        next: Option<Option<String>>,
        total: Option<u64>,
    }

    impl Page for FakePage {
        type Item = u32;
        fn page_info(&self) -> PageInfo {
            PageInfo { next_link: self.next.clone(), total_pages: self.total }
        }
        fn item_count(&self) -> usize {
            self.items.len()
        }
        fn into_items(self) -> Vec<u32> {
            self.items
        }
    }

    fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut out = Vec::new();
        loop {
            match Pin::new(&mut stream).poll_next(&mut cx) {
                Poll::Ready(Some(item)) => out.push(item),
                Poll::Ready(None) => return out,
                Poll::Pending => panic!("the fake pages are always ready"),
            }
        }
    }

    #[test]
    fn links_are_followed_until_there_is_none() {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let pages: Pages<FakePage, ()> = Pages::by_link(Box::new(move |request| {
            log.lock().unwrap().push(request.clone());
            let page = match request {
                PageRequest::First => FakePage { items: vec![1, 2], next: Some(Some("/p2".into())), total: None },
                PageRequest::Link(l) if l == "/p2" => FakePage { items: vec![3], next: Some(Some("/p3".into())), total: None },
                _ => FakePage { items: vec![4], next: Some(None), total: None },
            };
            Box::pin(async move { Ok(page) })
        }));
        let items: Vec<u32> = collect(pages.items()).into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(
            *seen.lock().unwrap(),
            [PageRequest::First, PageRequest::Link("/p2".into()), PageRequest::Link("/p3".into())]
        );
    }

    #[test]
    fn page_numbers_stop_at_the_page_count_or_an_empty_page() {
        let pages: Pages<FakePage, ()> = Pages::by_number(2, Box::new(|request| {
            let PageRequest::Number(n) = request else { panic!("{request:?}") };
            Box::pin(async move { Ok(FakePage { items: vec![n as u32], next: None, total: Some(4) }) })
        }));
        let items: Vec<u32> = collect(pages.items()).into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(items, [2, 3, 4]);
        let pages: Pages<FakePage, ()> = Pages::by_number(1, Box::new(|request| {
            let PageRequest::Number(n) = request else { panic!("{request:?}") };
            let items = if n < 3 { vec![n as u32] } else { vec![] };
            Box::pin(async move { Ok(FakePage { items, next: None, total: None }) })
        }));
        assert_eq!(collect(pages).len(), 3, "pages 1 and 2, then the empty page 3");
    }
}
