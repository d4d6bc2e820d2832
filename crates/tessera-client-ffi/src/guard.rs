//! What keeps the C boundary sound: no panic unwinds into C (`catch_unwind` around every
//! call), every pointer is checked for NULL, every string for UTF-8, and the last error of
//! each thread is kept for `tessera_last_error_code` / `tessera_last_error_message`.

use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use tessera_client::ClientError;

/// An error on its way to C: the stable code and a message for people.
pub(crate) struct FfiError {
    pub code: &'static str,
    pub message: String,
}

impl From<ClientError> for FfiError {
    fn from(e: ClientError) -> Self {
        FfiError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

pub(crate) fn invalid_argument(message: impl Into<String>) -> FfiError {
    FfiError {
        code: "INVALID_ARGUMENT",
        message: message.into(),
    }
}

thread_local! {
    static LAST_ERROR: RefCell<Option<FfiError>> = const { RefCell::new(None) };
}

/// Runs `body`, turning an error or a panic into `failed` and a recorded last error. A
/// success clears the last error.
pub(crate) fn guard<T>(failed: T, body: impl FnOnce() -> Result<T, FfiError>) -> T {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(FfiError {
            code: "PANIC",
            message: format!("internal error in tessera-client: {detail}"),
        })
    });
    let (value, error) = match outcome {
        Ok(v) => (v, None),
        Err(e) => (failed, Some(e)),
    };
    // A panic-free store: `try_with` fails only during thread teardown.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = error);
    value
}

/// Reads the last error's code or message.
pub(crate) fn with_last_error<R>(f: impl FnOnce(Option<&FfiError>) -> R) -> Option<R> {
    LAST_ERROR.try_with(|slot| f(slot.borrow().as_ref())).ok()
}

/// A borrowed C string argument, checked.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, FfiError> {
    if p.is_null() {
        return Err(invalid_argument(format!("{name} is NULL")));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| invalid_argument(format!("{name} is not UTF-8")))
}

/// Like [`str_arg`], but NULL means "not given".
///
/// # Safety
/// As for [`str_arg`].
pub(crate) unsafe fn optional_str_arg<'a>(
    p: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, FfiError> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded contract.
        unsafe { str_arg(p, name) }.map(Some)
    }
}

/// Copies `s` into the caller's buffer of `len` bytes, truncated on a character boundary and
/// always NUL-terminated (when `len` > 0). Returns the length `s` needs, without the NUL, as
/// `snprintf` does: a result ≥ `len` means it was truncated.
///
/// # Safety
/// `buf` is NULL (then nothing is written) or points to `len` writable bytes.
pub(crate) unsafe fn copy_out(s: &str, buf: *mut c_char, len: usize) -> usize {
    if !buf.is_null() && len > 0 {
        let mut n = s.len().min(len - 1);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        // SAFETY: `buf` has `len` > n bytes; the source is a distinct Rust string.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr().cast::<c_char>(), buf, n);
            *buf.add(n) = 0;
        }
    }
    s.len()
}

/// Fills a fixed `char[N]` field, truncated on a character boundary, NUL-terminated.
pub(crate) fn fill_field<const N: usize>(field: &mut [c_char; N], s: &str) {
    // SAFETY: the array has N writable bytes.
    unsafe { copy_out(s, field.as_mut_ptr(), N) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_truncated_on_character_boundaries_and_terminated() {
        let mut buf = [1 as c_char; 4];
        assert_eq!(unsafe { copy_out("abcdef", buf.as_mut_ptr(), 4) }, 6);
        assert_eq!(buf, [b'a' as c_char, b'b' as c_char, b'c' as c_char, 0]);
        let mut field = [1 as c_char; 4];
        fill_field(&mut field, "aé€"); // 1 + 2 + 3 bytes: only "aé" fits in 3
        assert_eq!(unsafe { CStr::from_ptr(field.as_ptr()) }.to_str(), Ok("aé"));
        assert_eq!(unsafe { copy_out("x", std::ptr::null_mut(), 0) }, 1);
    }

    #[test]
    fn a_panic_becomes_an_error_code() {
        let v = guard(-1, || -> Result<i32, FfiError> { panic!("boom") });
        assert_eq!(v, -1);
        let code = with_last_error(|e| e.map(|e| e.code)).flatten();
        assert_eq!(code, Some("PANIC"));
        assert_eq!(guard(-1, || Ok(0)), 0);
        assert!(with_last_error(|e| e.is_none()).unwrap());
    }
}
