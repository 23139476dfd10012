//! Integration tests: the five functions on the local stack (moto, redis-server, and
//! the Telegram/OpenAI stand-ins). One binary, one shared moto, one stack per test.

mod env;

mod access;
mod budget;
mod commands;
mod compatible;
mod conversations;
mod edges;
mod events;
mod exactly_once;
mod export;
mod failures;
mod faults;
mod forget;
mod formatting;
mod fragments;
mod groups;
mod iam;
mod language;
mod last_word;
mod limits;
mod local_aws;
mod logs;
mod memory;
mod meter;
mod metrics;
mod older_items;
mod persona;
mod photos;
mod pipeline;
mod redis_auth;
mod responses;
mod rotation;
mod settings;
mod shelf;
mod streaming;
mod style;
mod telegram;
mod telegram_setup;
mod template_resources;
mod usage;
mod voice;
mod webhook;
