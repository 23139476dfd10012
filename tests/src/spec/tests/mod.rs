//! Unit tests of the spec checkers, by description.

mod multipart;
mod openai_requests;
mod openai_responses;
mod telegram;
