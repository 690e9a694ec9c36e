//! The integration tests, as one test binary: each module drives the core
//! or the real `comptoir` binary against the simulators. One binary links
//! once, where eleven used to (link time and disk were CI's bottleneck).

#[allow(dead_code)]
mod common;

mod anomalie_adresse;
mod archive;
mod auth;
mod bindings;
mod cashiers;
mod cli;
mod closing;
mod concurrency;
mod crash;
mod credentials;
mod esim;
mod giftcards;
mod history;
mod hostile;
mod internet_plus;
mod layers;
mod orange_support;
mod pg_server;
mod properties;
mod register;
mod reliability;
mod sale;
mod share;
mod tickets;
mod till;
mod training_world;
mod window_security;
