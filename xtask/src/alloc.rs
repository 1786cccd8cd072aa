//! mimalloc as the global allocator, through its plain entry points where Rust's layout
//! allows them.
//!
//! `mimalloc::MiMalloc` calls the aligned functions (`mi_malloc_aligned`,
//! `mi_realloc_aligned`) for every allocation, whatever its alignment; their extra checks
//! cost the generator about 2% of its instructions on a large document (GitHub's: 1,731M ->
//! 1,689M). Every block mimalloc's plain functions return is aligned to 16 bytes
//! (`MI_MAX_ALIGN_SIZE`) when it is at least that large, and smaller blocks to their size
//! class, a multiple of 8 that a Rust type of that size and alignment fits: so a layout of
//! alignment at most 16 and no larger than its size (as every Rust type's is) takes the plain
//! path, as `std`'s own `System` allocator does with `malloc`. Anything else is
//! `mimalloc::MiMalloc`'s.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;

/// The largest alignment every block of mimalloc's plain functions has (`MI_MAX_ALIGN_SIZE`).
const PLAIN_ALIGN: usize = 16;

pub struct Mimalloc;

fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` frees blocks of
// either kind); the plain functions are used only for layouts their blocks are aligned for
// (above).
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            // SAFETY: `layout.size()` is not zero (the caller's contract).
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            // SAFETY: as for `alloc`.
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            // SAFETY: `ptr` came from mimalloc; the new block keeps `layout.align()` (above).
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}
