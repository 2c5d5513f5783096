//! The checks `kata grade` runs on every submitted file before it builds:
//! whatever would let a hand-in escape its hidden tests is rejected, with
//! the file, the line and a reason the candidate understands.
//!
//! The file is parsed with `syn` (never grepped), and every item, path,
//! attribute and macro call is visited:
//! - other files: `#[path]`, `mod name;`, `include!`, `include_str!`,
//!   `include_bytes!`, `env!`/`option_env!` (the reviewer's build
//!   environment);
//! - linking tricks: `extern crate`, `extern` blocks, `#[link]`,
//!   `#[no_mangle]`, `#[export_name]`, `#[link_section]`, `asm!`,
//!   `global_asm!`;
//! - the outside world: `std::process`, `std::env`, `std::fs`, `std::net`,
//!   `std::os`, `std::io::{stdout, stderr, stdin}`, and `print!`,
//!   `println!`, `eprint!`, `eprintln!`, `dbg!` (the grader's channel);
//! - the harness and the answers: any path through `kata` or `solutions`.
//!
//! Renames do not hide a path: every `use` is an alias (`use std::process
//! as p;` makes `p::exit` read as `std::process::exit`), `::std`, `core`
//! and `alloc` are the same roots as `std`, glob imports of a root or of a
//! forbidden module are rejected, and the tokens inside macro calls
//! (`format!("{}", std::env::var("X")?)`) are read as paths too.
//!
//! What this cannot see (a path assembled by a `macro_rules!` from pieces)
//! the sandbox still contains: the checks are the first of two walls.

use std::collections::HashMap;

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use crate::report::Rejection;

/// The crate roots that hold the standard library's modules.
const STD_ROOTS: [&str; 3] = ["std", "core", "alloc"];

/// The harness and the reference solutions: off limits to a hand-in.
const HARNESS_CRATES: [&str; 2] = ["kata", "solutions"];

/// Standard modules a hand-in may not name, and why.
const FORBIDDEN_MODULES: [(&str, &str); 5] = [
    ("process", "it can end the test process or start others"),
    ("env", "it reads the reviewer's environment"),
    ("fs", "it reads or writes files"),
    ("net", "it opens network connections"),
    ("os", "it reaches the operating system directly"),
];

/// Items of `std::io` a hand-in may not name: the grader's channels.
const FORBIDDEN_IO: [&str; 9] =
    ["stdout", "stderr", "stdin", "Stdout", "Stderr", "Stdin", "StdoutLock", "StderrLock", "StdinLock"];

/// Macros a hand-in may not call, and why.
const FORBIDDEN_MACROS: [(&str, &str); 13] = [
    ("include", "it pastes in another file's code"),
    ("include_str", "it reads another file"),
    ("include_bytes", "it reads another file"),
    ("env", "it reads the reviewer's build environment"),
    ("option_env", "it reads the reviewer's build environment"),
    ("asm", "inline assembly escapes every check"),
    ("global_asm", "inline assembly escapes every check"),
    ("naked_asm", "inline assembly escapes every check"),
    ("print", "it writes to stdout, the test runner's channel"),
    ("println", "it writes to stdout, the test runner's channel"),
    ("eprint", "it writes to stderr, the test runner's channel"),
    ("eprintln", "it writes to stderr, the test runner's channel"),
    ("dbg", "it writes to stderr, the test runner's channel"),
];

/// Attributes a hand-in may not use, and why.
const FORBIDDEN_ATTRIBUTES: [(&str, &str); 6] = [
    ("path", "it points a module at another file (the reference solutions, say)"),
    ("link", "it links a native library"),
    ("link_name", "it binds a native symbol"),
    ("no_mangle", "it exports a symbol that can replace one of the test runner's"),
    ("export_name", "it exports a symbol that can replace one of the test runner's"),
    ("link_section", "it places code where the loader runs it before the tests"),
];

/// Every rejection in `source`, the text of `file` (a kit-relative path), in
/// line order. A file that does not parse is left to the compiler, which
/// says why better than we can.
pub fn check(file: &str, source: &str) -> Vec<Rejection> {
    let Ok(syntax) = syn::parse_file(source) else { return Vec::new() };
    let mut aliases = Aliases::default();
    aliases.visit_file(&syntax);
    let mut checker = Checker { aliases: aliases.map, found: Vec::new() };
    checker.visit_file(&syntax);
    let mut rejections: Vec<Rejection> = checker
        .found
        .into_iter()
        .map(|(line, reason)| Rejection { file: file.to_owned(), line, reason })
        .collect();
    rejections.sort_by(|a, b| (a.line, &a.reason).cmp(&(b.line, &b.reason)));
    rejections.dedup();
    rejections
}

/// Every name a `use` binds, mapped to the path it stands for.
#[derive(Default)]
struct Aliases {
    map: HashMap<String, Vec<String>>,
}

impl<'ast> Visit<'ast> for Aliases {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        for (path, binding) in use_paths(&item.tree) {
            if let Some(name) = binding {
                self.map.insert(name, path);
            }
        }
    }
}

/// The paths of a `use` tree, each with the name it binds (none for a glob).
fn use_paths(tree: &syn::UseTree) -> Vec<(Vec<String>, Option<String>)> {
    let mut out = Vec::new();
    collect_use(tree, &mut Vec::new(), &mut out);
    out
}

fn collect_use(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            collect_use(&path.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let ident = name.ident.to_string();
            let (path, binding) = if ident == "self" {
                (prefix.clone(), prefix.last().cloned())
            } else {
                (with(prefix, &ident), Some(ident))
            };
            out.push((path, binding));
        }
        syn::UseTree::Rename(rename) => {
            let ident = rename.ident.to_string();
            let path = if ident == "self" { prefix.clone() } else { with(prefix, &ident) };
            out.push((path, Some(rename.rename.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                collect_use(tree, prefix, out);
            }
        }
    }
}

/// `prefix` with `last` appended.
fn with(prefix: &[String], last: &str) -> Vec<String> {
    let mut path = prefix.to_vec();
    path.push(last.to_owned());
    path
}

/// The visitor that finds what is forbidden.
struct Checker {
    aliases: HashMap<String, Vec<String>>,
    found: Vec<(usize, String)>,
}

impl Checker {
    fn reject(&mut self, span: Span, reason: String) {
        self.found.push((span.start().line, reason));
    }

    /// `segments` with its first name replaced by what a `use` bound it to,
    /// until it names no alias (a bounded number of times: aliases can loop).
    fn resolve(&self, segments: &[String], global: bool) -> Vec<String> {
        let mut path = segments.to_vec();
        if global {
            return path;
        }
        for _ in 0..8 {
            let Some(target) = path.first().and_then(|first| self.aliases.get(first)) else { break };
            if target.len() == 1 && Some(&target[0]) == path.first() {
                break; // `use std;` binds std to itself
            }
            let mut resolved = target.clone();
            resolved.extend(path.drain(1..));
            path = resolved;
        }
        path
    }

    /// Rejects `segments` (a path as written) if, resolved, it names a
    /// forbidden module or the harness.
    fn check_path(&mut self, span: Span, segments: &[String], global: bool) {
        let path = self.resolve(segments, global);
        if let Some(reason) = forbidden_path(&path) {
            self.reject(span, reason);
        }
    }

    /// Reads a macro call's tokens as paths and macro calls: they are code too.
    fn check_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(group) => {
                    self.check_tokens(group.stream());
                    i += 1;
                }
                TokenTree::Ident(_) => {
                    let global = i >= 2 && is_path_separator(&tokens[i - 2], &tokens[i - 1]);
                    let (segments, next) = path_at(&tokens, i);
                    let span = tokens[i].span();
                    if let Some(TokenTree::Punct(bang)) = tokens.get(next)
                        && bang.as_char() == '!'
                        && let Some(last) = segments.last()
                    {
                        self.check_macro_name(span, last);
                    }
                    self.check_path(span, &segments, global);
                    i = next;
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => i += 1,
            }
        }
    }

    fn check_macro_name(&mut self, span: Span, name: &str) {
        if let Some((_, why)) = FORBIDDEN_MACROS.iter().find(|(forbidden, _)| *forbidden == name) {
            self.reject(span, format!("`{name}!` is not allowed: {why}"));
        }
    }

    /// Rejects a forbidden attribute, also inside `cfg_attr(...)` or
    /// `unsafe(...)`.
    fn check_attribute_names(&mut self, span: Span, names: &[String]) {
        for name in names {
            if let Some((_, why)) = FORBIDDEN_ATTRIBUTES.iter().find(|(forbidden, _)| forbidden == name) {
                self.reject(span, format!("`#[{name}]` is not allowed: {why}"));
            }
        }
    }
}

/// Why a resolved path is forbidden, if it is.
fn forbidden_path(path: &[String]) -> Option<String> {
    let first = path.first()?.as_str();
    if HARNESS_CRATES.contains(&first) {
        return Some(format!(
            "`{}` names the `{first}` crate (the grading harness or the reference solutions): an answer \
             uses only std, `kata_types` and the crates exercises/Cargo.toml lists",
            path.join("::")
        ));
    }
    if !STD_ROOTS.contains(&first) {
        return None;
    }
    let module = path.get(1).map(String::as_str)?;
    if let Some((_, why)) = FORBIDDEN_MODULES.iter().find(|(name, _)| *name == module) {
        return Some(format!("`{first}::{module}` is not allowed in an answer: {why}"));
    }
    let item = path.get(2).map(String::as_str);
    if module == "io"
        && let Some(item) = item.filter(|item| FORBIDDEN_IO.contains(item))
    {
        return Some(format!(
            "`{first}::io::{item}` is not allowed: the standard streams are the test runner's channel"
        ));
    }
    None
}

/// Whether the glob import `use PREFIX::*` brings a forbidden name into scope.
fn forbidden_glob(prefix: &[String]) -> Option<String> {
    let first = prefix.first()?.as_str();
    let forbidden = match prefix.len() {
        1 => STD_ROOTS.contains(&first) || HARNESS_CRATES.contains(&first),
        2 => STD_ROOTS.contains(&first) && prefix[1] == "io",
        _ => false,
    };
    let reason = format!(
        "`use {}::*` is not allowed: it brings modules an answer may not use into scope; import \
         the items you need by name",
        prefix.join("::")
    );
    if forbidden { Some(reason) } else { forbidden_path(prefix) }
}

/// Whether two tokens are `::`.
fn is_path_separator(first: &TokenTree, second: &TokenTree) -> bool {
    matches!((first, second), (TokenTree::Punct(a), TokenTree::Punct(b))
        if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
}

/// The path `a::b::c` of idents starting at `tokens[start]`, and the index
/// after it.
fn path_at(tokens: &[TokenTree], start: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut i = start;
    while let Some(TokenTree::Ident(ident)) = tokens.get(i) {
        segments.push(ident.to_string());
        match (tokens.get(i + 1), tokens.get(i + 2)) {
            (Some(a), Some(b)) if is_path_separator(a, b) => i += 3,
            _ => return (segments, i + 1),
        }
    }
    (segments, i)
}

/// Every ident in an attribute's tokens (for `cfg_attr` and `unsafe`).
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => out.push(ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for Checker {
    fn visit_attribute(&mut self, attribute: &'ast syn::Attribute) {
        let span = attribute.span();
        let name = attribute.path().segments.last().map(|segment| segment.ident.to_string());
        match name.as_deref() {
            Some("cfg_attr" | "unsafe") => {
                let mut names = Vec::new();
                if let syn::Meta::List(list) = &attribute.meta {
                    idents(list.tokens.clone(), &mut names);
                }
                self.check_attribute_names(span, &names);
            }
            Some(name) => self.check_attribute_names(span, &[name.to_owned()]),
            None => {}
        }
        visit::visit_attribute(self, attribute);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_none() {
            self.reject(
                item.span(),
                format!(
                    "`mod {};` reads another file: only exercises/src/*.rs files are taken from a \
                     hand-in, so write the module inline (`mod {} {{ ... }}`)",
                    item.ident, item.ident
                ),
            );
        }
        visit::visit_item_mod(self, item);
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        self.reject(
            item.span(),
            format!(
                "`extern crate {}` is not allowed: an answer uses the crates exercises/Cargo.toml lists",
                item.ident
            ),
        );
        visit::visit_item_extern_crate(self, item);
    }

    fn visit_item_foreign_mod(&mut self, item: &'ast syn::ItemForeignMod) {
        self.reject(
            item.span(),
            "an `extern` block is not allowed: it binds native functions the checks cannot see".to_owned(),
        );
        visit::visit_item_foreign_mod(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let global = item.leading_colon.is_some();
        for (path, binding) in use_paths(&item.tree) {
            let reason = match binding {
                None => forbidden_glob(&self.resolve(&path, global)),
                Some(_) => forbidden_path(&self.resolve(&path, global)),
            };
            if let Some(reason) = reason {
                self.reject(item.span(), reason);
            }
        }
        visit::visit_item_use(self, item);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
        self.check_path(path.span(), &segments, path.leading_colon.is_some());
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(last) = mac.path.segments.last() {
            self.check_macro_name(mac.path.span(), &last.ident.to_string());
        }
        self.check_tokens(mac.tokens.clone());
        visit::visit_macro(self, mac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reasons found in `source`, with their lines.
    fn found(source: &str) -> Vec<(usize, String)> {
        check("exercises/src/cosine.rs", source).into_iter().map(|r| (r.line, r.reason)).collect()
    }

    fn assert_rejected(source: &str, needle: &str) {
        let found = found(source);
        assert!(
            found.iter().any(|(_, reason)| reason.contains(needle)),
            "expected a rejection mentioning {needle:?} in\n{source}\nfound: {found:?}"
        );
    }

    #[test]
    fn an_honest_answer_passes() {
        let source = r#"
            //! Cosine.
            use std::collections::HashMap;
            use std::io::Write as _;
            use kata_types::VectorError;
            pub use kata_types::Hit;
            mod helpers { pub fn dot(a: &[f32], b: &[f32]) -> f32 { a.iter().zip(b).map(|(x, y)| x * y).sum() } }
            /// Doc.
            pub fn f(a: &[f32]) -> Result<String, VectorError> {
                let mut map: HashMap<u32, f32> = HashMap::new();
                map.insert(1, helpers::dot(a, a));
                assert!(a.len() < 10, "too long: {}", a.len());
                let text = format!("{:?}", std::iter::once(1).collect::<Vec<_>>());
                let _ = core::mem::size_of::<u32>();
                Ok(text)
            }
        "#;
        assert_eq!(found(source), vec![]);
    }

    #[test]
    fn the_path_attribute_is_rejected_with_its_line() {
        let source = "\n#[path = \"../../solutions/src\"]\nmod wrap { pub mod cosine; }\n";
        let found = found(source);
        assert!(found.iter().any(|(line, reason)| *line == 2 && reason.contains("#[path]")), "{found:?}");
        assert!(found.iter().any(|(line, reason)| *line == 3 && reason.contains("mod cosine;")), "{found:?}");
    }

    #[test]
    fn file_macros_are_rejected_even_nested_in_other_macros() {
        assert_rejected("include!(\"../../solutions/src/cosine.rs\");", "`include!`");
        assert_rejected("const S: &str = include_str!(\"/etc/passwd\");", "`include_str!`");
        assert_rejected("fn f() -> usize { vec![include_bytes!(\"x\").len()].len() }", "`include_bytes!`");
        assert_rejected("fn f() { let _ = format!(\"{}\", env!(\"HOME\")); }", "`env!`");
        assert_rejected("#[doc = include_str!(\"x\")]\nfn f() {}", "`include_str!`");
    }

    #[test]
    fn printing_is_rejected() {
        for mac in ["print", "println", "eprint", "eprintln", "dbg"] {
            assert_rejected(&format!("fn f() {{ {mac}!(\"test x ... ok\"); }}"), &format!("`{mac}!`"));
        }
        assert_rejected("fn f() { std::println!(\"x\"); }", "`println!`");
        assert_rejected("fn f() { let _ = std::io::stdout(); }", "std::io::stdout");
        assert_rejected("use std::io::{self, Write};\nfn f() { let _ = io::stderr(); }", "std::io::stderr");
        assert_rejected("use std::io::*;", "use std::io::*");
    }

    #[test]
    fn process_and_its_renames_are_rejected() {
        assert_rejected("fn f() { std::process::exit(0) }", "std::process");
        assert_rejected("fn f() { ::std::process::exit(0) }", "std::process");
        assert_rejected("use std::process as p;\nfn f() { p::exit(0) }", "std::process");
        assert_rejected("use std::process::exit;", "std::process");
        assert_rejected("use std as s;\nfn f() { s::process::exit(0) }", "std::process");
        assert_rejected("use std::{self as s};\nfn f() { s::process::abort() }", "std::process");
        assert_rejected("use std::*;", "use std::*");
        assert_rejected("fn f() { let _ = format!(\"{:?}\", std::process::id()); }", "std::process");
        assert_rejected("fn f() { assert!(::std::process::id() > 0); }", "std::process");
    }

    #[test]
    fn the_outside_world_is_rejected() {
        assert_rejected("fn f() { let _ = std::env::var(\"HOME\"); }", "std::env");
        assert_rejected("use std::fs::File;", "std::fs");
        assert_rejected("fn f() { let _ = std::net::TcpStream::connect(\"1.1.1.1:80\"); }", "std::net");
        assert_rejected("use std::os::unix::fs::PermissionsExt;", "std::os");
        assert_rejected("use core::arch::asm;\nfn f() { unsafe { asm!(\"nop\") } }", "`asm!`");
        assert_rejected("core::arch::global_asm!(\"nop\");", "`global_asm!`");
    }

    #[test]
    fn linking_tricks_are_rejected() {
        assert_rejected("extern crate solutions;", "extern crate solutions");
        assert_rejected("unsafe extern \"C\" { fn exit(code: i32) -> !; }", "`extern` block");
        assert_rejected("#[unsafe(no_mangle)]\npub extern \"C\" fn main() {}", "#[no_mangle]");
        assert_rejected("#[no_mangle]\npub fn f() {}", "#[no_mangle]");
        assert_rejected("#[unsafe(export_name = \"exit\")]\npub fn f() {}", "#[export_name]");
        assert_rejected("#[link(name = \"c\")]\nunsafe extern \"C\" {}", "#[link]");
        assert_rejected("#[cfg_attr(all(), path = \"x.rs\")]\nmod m {}", "#[path]");
        assert_rejected("#[unsafe(link_section = \".init_array\")]\nstatic S: u8 = 0;", "#[link_section]");
    }

    #[test]
    fn the_harness_and_the_solutions_are_rejected() {
        assert_rejected("pub use solutions::bm25::*;", "`solutions`");
        assert_rejected("pub use ::solutions::bm25::Bm25Index;", "`solutions`");
        assert_rejected("fn f() { let _ = kata::reference::cosine::cosine_similarity; }", "`kata`");
        assert_rejected("use kata as k;\nfn f() { k::x() }", "`kata`");
    }

    #[test]
    fn a_file_that_does_not_parse_is_left_to_the_compiler() {
        assert_eq!(found("fn f( {"), vec![]);
    }
}
