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

type PageFuture<P, E> = Pin<Box<dyn Future<Output = Result<P, Error<E>>> + Send>>;
type FetchPage<P, E> = Box<dyn FnMut(u64) -> PageFuture<P, E> + Send>;

/// The pages of a list, fetched one after the other as the stream is polled, numbered from
/// the first page asked for. It ends after the last page, after `max_pages`, or after the
/// first error (which it yields).
///
/// Whether a page is the last: a page count says so when the response has one; without it,
/// a `next` link that is `null` or missing (in a response that has links) does; without
/// either, an empty page does.
pub struct Pages<P: Page, E> {
    fetch: FetchPage<P, E>,
    next: Option<u64>,
    fetched: u64,
    max_pages: Option<u64>,
    in_flight: Option<PageFuture<P, E>>,
}

impl<P: Page, E> Pages<P, E> {
    pub(crate) fn new(first: u64, fetch: FetchPage<P, E>) -> Self {
        Self {
            fetch,
            next: Some(first),
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
            let Some(number) = this.next else { return Poll::Ready(None) };
            if this.max_pages.is_some_and(|max| this.fetched >= max) {
                this.next = None;
                return Poll::Ready(None);
            }
            this.in_flight = Some((this.fetch)(number));
        }
        let Some(future) = this.in_flight.as_mut() else { return Poll::Ready(None) };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        this.fetched += 1;
        let current = this.next.unwrap_or(1);
        match &result {
            Ok(page) => {
                let info = page.page_info();
                let more = page.item_count() > 0
                    && match (info.total_pages, &info.next_link) {
                        (Some(total), _) => current < total,
                        (None, Some(link)) => link.is_some(),
                        (None, None) => true,
                    };
                this.next = more.then_some(current + 1);
            }
            Err(_) => this.next = None,
        }
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
