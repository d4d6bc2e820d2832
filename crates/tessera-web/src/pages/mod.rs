//! One module per page (or group of pages): the handler builds a view from a use case's
//! answer and renders its template.

pub mod cloud;
pub mod downloads;
pub mod invitation;
pub mod keys;
pub mod offline;
pub mod operations;
pub mod operator;
pub mod password_reset;
pub mod register;
pub mod sign_in;
pub mod site;
pub mod sites;
pub mod sync;
pub mod users;
