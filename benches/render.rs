//! Rendering speed of the full class set (placeholder replaced below).
fn main() {}
