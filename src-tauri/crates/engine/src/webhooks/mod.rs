//! Incoming webhooks: who may send them and how each provider signs them. The receiver
//! that listens for them builds on this.

pub mod signatures;
