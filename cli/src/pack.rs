//! `kata pack --out DIR [EXERCISE...] [--tests all|samples]`: a candidate
//! kit without answers, for a reviewer to hand out.
//!
//! The kit is a workspace of its own that builds and grades on its own:
//!
//! - the given types (`types/`), the harness (`src/`), the `kata` command
//!   (`cli/`, without its own tests) and the cargo alias (`.cargo/`);
//! - for each chosen exercise: its stub, twice (`exercises/src/` and the
//!   pristine copy in `stubs/` that `kata reset` restores), its hidden
//!   tests, all of them or only the `examples_` and `edge_` tiers as
//!   samples, and its benchmark;
//! - `exercises.toml` with the chosen entries only, `exercises/src/lib.rs`
//!   with their modules only, and a README for the candidate.
//!
//! It holds no `solutions/` and no `answers/`. The manifests are rewritten
//! without the reference (`toml_edit`: comments and layout survive), and
//! Rust sources are cut by parsing them (`syn`) and printing them back
//! (`prettyplease`), so a cut can never fall inside an item.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::println;
use anyhow::{Context, Result, bail};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use toml_edit::{Array, DocumentMut, Item};

use crate::exercise::Exercise;
use crate::term::{self, GOOD, STRONG};
use crate::workspace::{self, Workspace};

/// Which hidden tests a kit holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tests {
    /// Every tier: the candidate sees exactly what grades them.
    All,
    /// The `examples_` and `edge_` tiers only: the reviewer keeps the rest.
    Samples,
}

/// The test name prefixes kept by `--tests samples`.
const SAMPLE_TIERS: [&str; 2] = ["examples_", "edge_"];

/// Files and directories copied as they are, relative to the root.
const COPIED: [&str; 10] = [
    ".cargo/config.toml",
    ".gitignore",
    "rustfmt.toml",
    "types",
    "src",
    "exercises/Cargo.toml",
    "cli/Cargo.toml",
    "cli/build.rs",
    "cli/src",
    "cli/templates",
];

/// The features that bring the reference in, dropped from a kit's manifests.
const REFERENCE_FEATURES: [&str; 2] = ["with-reference", "reference"];

/// The crate a kit leaves out.
const REFERENCE_CRATE: &str = "solutions";

/// `kata pack`: writes the kit, then says how to try it.
pub fn run(workspace: &Workspace, out: &Path, names: &[String], tests: Tests) -> Result<ExitCode> {
    let exercises = selection(names)?;
    prepare_empty_dir(out)?;
    let files = kit_files(workspace, &exercises, tests)?;
    for (relative, contents) in &files {
        let path = out.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    let names: Vec<&str> = exercises.iter().map(|exercise| exercise.name).collect();
    println!(
        "{} a kit of {} exercise(s) ({}), {} files, tests: {}, in {}",
        term::paint(GOOD, "Packed"),
        exercises.len(),
        names.join(", "),
        files.len(),
        match tests {
            Tests::All => "all tiers",
            Tests::Samples => "samples (examples_ and edge_)",
        },
        out.display()
    );
    println!("{}", term::paint(STRONG, "No solutions/ and no answers/ in it. Try it as the candidate will:"));
    println!("  cd {} && cargo test    # every test fails, naming the file to open", out.display());
    Ok(ExitCode::SUCCESS)
}

/// The named exercises in kit order, each once; every exercise when none is named.
fn selection(names: &[String]) -> Result<Vec<&'static Exercise>> {
    if names.is_empty() {
        return workspace::selection(None);
    }
    let chosen: Vec<&'static Exercise> =
        names.iter().map(|name| workspace::exercise(name)).collect::<Result<_>>()?;
    Ok(crate::exercise::EXERCISES.iter().filter(|exercise| chosen.contains(exercise)).collect())
}

/// Creates `out`, or accepts it when it exists and is empty: a kit is never
/// written over other files.
fn prepare_empty_dir(out: &Path) -> Result<()> {
    if out.exists() {
        let mut entries = fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: pack writes a fresh kit. Name a new directory, or empty this one.",
                out.display()
            );
        }
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))
}

/// Every file of the kit: its path relative to the kit's root and its contents.
pub fn kit_files(
    workspace: &Workspace,
    exercises: &[&Exercise],
    tests: Tests,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let read = |relative: &str| -> Result<String> {
        fs::read_to_string(workspace.path(relative)).with_context(|| format!("reading {relative}"))
    };
    let chosen: HashSet<&str> = exercises.iter().map(|exercise| exercise.name).collect();
    let mut files = Vec::new();
    for relative in COPIED {
        copy_into(workspace.root(), Path::new(relative), &mut files)?;
    }
    let mut text =
        |relative: String, contents: String| files.push((PathBuf::from(relative), contents.into_bytes()));
    text("Cargo.toml".into(), without_reference(&read("Cargo.toml")?)?);
    text("Cargo.lock".into(), lockfile_without_reference(&read("Cargo.lock")?)?);
    text("benches/Cargo.toml".into(), bench_manifest(&read("benches/Cargo.toml")?, &chosen)?);
    text("exercises.toml".into(), registry(&read("exercises.toml")?, &chosen)?);
    text("exercises/src/lib.rs".into(), modules(&read("exercises/src/lib.rs")?, &chosen)?);
    text("README.md".into(), readme(exercises, tests));
    for exercise in exercises {
        let name = exercise.name;
        let stub = read(&format!("stubs/{name}.rs"))?;
        text(format!("exercises/src/{name}.rs"), stub.clone());
        text(format!("stubs/{name}.rs"), stub);
        let hidden = read(&format!("tests/{name}.rs"))?;
        let hidden = match tests {
            Tests::All => hidden,
            Tests::Samples => {
                sample_tests(&hidden).with_context(|| format!("cutting tests/{name}.rs down to samples"))?
            }
        };
        text(format!("tests/{name}.rs"), hidden);
        if exercise.bench {
            text(format!("benches/{name}.rs"), read(&format!("benches/{name}.rs"))?);
        }
    }
    Ok(files)
}

/// Adds the file at `relative` under `root`, or every file under that
/// directory, to `files`.
fn copy_into(root: &Path, relative: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let path = root.join(relative);
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(&path)
            .with_context(|| format!("reading {}", path.display()))?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<_, _>>()
            .with_context(|| format!("reading {}", path.display()))?;
        entries.sort();
        for entry in entries {
            let name = entry.file_name().context("a directory entry without a name")?;
            copy_into(root, &relative.join(name), files)?;
        }
        Ok(())
    } else {
        let contents = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        files.push((relative.to_path_buf(), contents));
        Ok(())
    }
}

/// The root manifest without the reference: no `solutions` member or
/// dependency, no `with-reference` or `reference` feature. The benches'
/// `#[cfg(feature = "with-reference")]` rows stay declared to the
/// compiler's cfg check, so that the kit builds warning-free.
pub fn without_reference(manifest: &str) -> Result<String> {
    let mut document: DocumentMut = manifest.parse().context("Cargo.toml is not valid TOML")?;
    if let Some(members) = document.get_mut("workspace").and_then(|w| w.get_mut("members")) {
        retain_strings(members, |member| member != REFERENCE_CRATE);
    }
    for table in ["workspace.dependencies", "dependencies"] {
        if let Some(dependencies) = table_at(&mut document, table) {
            dependencies.remove(REFERENCE_CRATE);
        }
    }
    drop_reference_features(&mut document);
    if let Some(check_cfg) = table_at(&mut document, "workspace.lints.rust")
        .and_then(|rust| rust.get_mut("unexpected_cfgs"))
        .and_then(|cfgs| cfgs.get_mut("check-cfg"))
        .and_then(Item::as_array_mut)
    {
        let features = REFERENCE_FEATURES.map(|feature| format!("{feature:?}")).join(", ");
        check_cfg.push(format!("cfg(feature, values({features}))"));
    }
    Ok(document.to_string())
}

/// The benches' manifest without the reference's features, and with the
/// `[[bench]]` entries of the chosen exercises only.
pub fn bench_manifest(manifest: &str, chosen: &HashSet<&str>) -> Result<String> {
    let mut document: DocumentMut = manifest.parse().context("benches/Cargo.toml is not valid TOML")?;
    drop_reference_features(&mut document);
    retain_named(&mut document, "bench", chosen);
    Ok(document.to_string())
}

/// The registry with the chosen exercises' entries only (its comments kept).
pub fn registry(registry: &str, chosen: &HashSet<&str>) -> Result<String> {
    let mut document: DocumentMut = registry.parse().context("exercises.toml is not valid TOML")?;
    retain_named(&mut document, "exercise", chosen);
    Ok(document.to_string())
}

/// Keeps the `[[array]]` tables whose `name` is chosen. The comments above
/// the first table (the file's header, to TOML a part of that table) stay
/// at the top.
fn retain_named(document: &mut DocumentMut, array: &str, chosen: &HashSet<&str>) {
    let Some(tables) = document.get_mut(array).and_then(Item::as_array_of_tables_mut) else { return };
    let header = tables.get(0).and_then(|first| first.decor().prefix()).cloned();
    tables.retain(|table| table.get("name").and_then(Item::as_str).is_some_and(|name| chosen.contains(name)));
    if let (Some(header), Some(first)) = (header, tables.get_mut(0)) {
        first.decor_mut().set_prefix(header);
    }
}

/// Cargo.lock without the reference crate, so that the kit builds
/// `--locked` as it was packed.
pub fn lockfile_without_reference(lockfile: &str) -> Result<String> {
    let mut document: DocumentMut = lockfile.parse().context("Cargo.lock is not valid TOML")?;
    if let Some(packages) = document.get_mut("package").and_then(Item::as_array_of_tables_mut) {
        packages.retain(|package| package.get("name").and_then(Item::as_str) != Some(REFERENCE_CRATE));
        for package in packages.iter_mut() {
            if let Some(dependencies) = package.get_mut("dependencies") {
                retain_strings(dependencies, |dependency| dependency != REFERENCE_CRATE);
            }
        }
    }
    Ok(document.to_string())
}

/// Removes the reference's features, and their names from every other
/// feature (`default` among them).
fn drop_reference_features(document: &mut DocumentMut) {
    let Some(features) = table_at(document, "features") else { return };
    for feature in REFERENCE_FEATURES {
        features.remove(feature);
    }
    for (_, enabled) in features.iter_mut() {
        retain_strings(enabled, |name| !REFERENCE_FEATURES.contains(&name));
    }
    let empty_default = features.get("default").and_then(Item::as_array).is_some_and(Array::is_empty);
    if empty_default {
        features.remove("default");
    }
    if features.is_empty() {
        document.remove("features");
    }
}

/// The table at a dotted path (`workspace.dependencies`), if there is one.
fn table_at<'a>(document: &'a mut DocumentMut, dotted: &str) -> Option<&'a mut dyn toml_edit::TableLike> {
    let mut item = document.as_item_mut();
    for key in dotted.split('.') {
        item = item.get_mut(key)?;
    }
    item.as_table_like_mut()
}

/// Keeps the strings of an array for which `keep` holds (other values stay).
fn retain_strings(item: &mut Item, keep: impl Fn(&str) -> bool) {
    if let Some(array) = item.as_array_mut() {
        array.retain(|value| value.as_str().is_none_or(&keep));
    }
}

/// A module list (`lib.rs`) with the chosen modules only.
pub fn modules(source: &str, chosen: &HashSet<&str>) -> Result<String> {
    let mut file = syn3::parse_file(source).context("exercises/src/lib.rs does not parse")?;
    file.items.retain(|item| match item {
        syn3::Item::Mod(module) => chosen.contains(module.ident.to_string().as_str()),
        _ => true,
    });
    Ok(unparse_spaced(file))
}

/// Hidden tests cut down to the sample tiers: every `#[test]` function of
/// another tier goes, then every helper nothing kept uses any more (so the
/// samples build warning-free).
pub fn sample_tests(source: &str) -> Result<String> {
    let mut file = syn3::parse_file(source).context("the file does not parse")?;
    file.items.retain(|item| match test_name(item) {
        Some(name) => SAMPLE_TIERS.iter().any(|tier| name.starts_with(tier)),
        None => true,
    });
    if !file.items.iter().any(|item| test_name(item).is_some()) {
        bail!("it has no test of the sample tiers ({})", SAMPLE_TIERS.join(", "));
    }
    drop_unused_helpers(&mut file.items);
    allow_unused_globs(&mut file.items);
    let header = format!(
        "// Sample tests: the {} tiers of the hidden tests. The reviewer grades every tier.\n",
        SAMPLE_TIERS.map(|tier| tier.trim_end_matches('_')).join(" and ")
    );
    Ok(header + &unparse_spaced(file))
}

/// Marks each glob import `#[allow(unused_imports)]`: what the samples use
/// of it cannot be told by name, and they may use nothing.
fn allow_unused_globs(items: &mut [syn3::Item]) {
    for item in items {
        if let syn3::Item::Use(import) = item
            && has_glob(&import.tree)
        {
            import.attrs.push(syn3::parse_quote!(#[allow(unused_imports)]));
        }
    }
}

/// Whether a `use` tree imports a glob.
fn has_glob(tree: &syn3::UseTree) -> bool {
    match tree {
        syn3::UseTree::Path(path) => has_glob(&path.tree),
        syn3::UseTree::Glob(_) => true,
        syn3::UseTree::Group(group) => group.items.iter().any(has_glob),
        syn3::UseTree::Name(_) | syn3::UseTree::Rename(_) => false,
    }
}

/// A file as source, with a blank line between items but not between
/// imports (as people write it; `prettyplease` alone puts none).
fn unparse_spaced(mut file: syn3::File) -> String {
    let items = std::mem::take(&mut file.items);
    let mut text = prettyplease::unparse(&file);
    file.shebang = None;
    file.attrs.clear();
    let mut after_use = false;
    for item in items {
        let is_use = matches!(item, syn3::Item::Use(_));
        let consecutive_imports = after_use && is_use;
        if !(text.is_empty() || consecutive_imports) {
            text.push('\n');
        }
        after_use = is_use;
        file.items = vec![item];
        text.push_str(&prettyplease::unparse(&file));
    }
    text
}

/// The name of a `#[test]` function.
fn test_name(item: &syn3::Item) -> Option<String> {
    let syn3::Item::Fn(function) = item else { return None };
    let is_test = function.attrs.iter().any(|attr| attr.path().is_ident("test"));
    is_test.then(|| function.sig.ident.to_string())
}

/// Removes, until none is left, the helpers (functions, constants, types,
/// imported names...) whose names appear in no other item. Tests and items
/// without a name of their own (impls, glob imports) always stay.
fn drop_unused_helpers(items: &mut Vec<syn3::Item>) {
    while let Some((index, pruned)) = first_unused(items) {
        match pruned {
            Some(pruned) => items[index] = pruned,
            None => {
                items.remove(index);
            }
        }
    }
}

/// The first item that defines an unused name: its index, and what is left
/// of it without that name (`None`: nothing).
fn first_unused(items: &[syn3::Item]) -> Option<(usize, Option<syn3::Item>)> {
    let uses: Vec<HashSet<String>> = items.iter().map(|item| idents(item.to_token_stream())).collect();
    let used_elsewhere = |index: usize| -> HashSet<&str> {
        let others = uses.iter().enumerate().filter(|(other, _)| *other != index);
        others.flat_map(|(_, used)| used.iter().map(String::as_str)).collect()
    };
    items.iter().enumerate().find_map(|(index, item)| {
        if test_name(item).is_some() {
            return None;
        }
        let used = used_elsewhere(index);
        if let syn3::Item::Use(import) = item {
            let pruned = prune_use(&import.tree, &used);
            let tokens = |tree: &syn3::UseTree| tree.to_token_stream().to_string();
            if pruned.as_ref().map(tokens) == Some(tokens(&import.tree)) {
                return None;
            }
            let rest = pruned.map(|tree| syn3::Item::Use(syn3::ItemUse { tree, ..import.clone() }));
            return Some((index, rest));
        }
        let name = defined_name(item)?;
        (!used.contains(name.as_str())).then_some((index, None))
    })
}

/// The name an item defines, when it is one that can go unused.
fn defined_name(item: &syn3::Item) -> Option<String> {
    let ident = match item {
        syn3::Item::Fn(item) => &item.sig.ident,
        syn3::Item::Const(item) => &item.ident,
        syn3::Item::Static(item) => &item.ident,
        syn3::Item::Struct(item) => &item.ident,
        syn3::Item::Enum(item) => &item.ident,
        syn3::Item::Type(item) => &item.ident,
        syn3::Item::Trait(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// A `use` tree without the names not in `used` (globs and `self` stay);
/// `None` when nothing is left.
fn prune_use(tree: &syn3::UseTree, used: &HashSet<&str>) -> Option<syn3::UseTree> {
    prune_use_under(tree, None, used)
}

/// [`prune_use`] for a tree under the path segment `parent` (the name that
/// a `self` in the tree brings into scope).
fn prune_use_under(
    tree: &syn3::UseTree,
    parent: Option<&syn3::Ident>,
    used: &HashSet<&str>,
) -> Option<syn3::UseTree> {
    let is_used = |ident: &syn3::Ident| used.contains(ident.to_string().as_str());
    match tree {
        syn3::UseTree::Path(path) => prune_use_under(&path.tree, Some(&path.ident), used)
            .map(|inner| syn3::UseTree::Path(syn3::UsePath { tree: Box::new(inner), ..path.clone() })),
        syn3::UseTree::Name(name) if name.ident == "self" => parent.is_none_or(is_used).then(|| tree.clone()),
        syn3::UseTree::Name(name) => is_used(&name.ident).then(|| tree.clone()),
        syn3::UseTree::Rename(rename) => {
            used.contains(rename.rename.to_string().as_str()).then(|| tree.clone())
        }
        syn3::UseTree::Glob(_) => Some(tree.clone()),
        syn3::UseTree::Group(group) => {
            let items: syn3::punctuated::Punctuated<syn3::UseTree, syn3::Token![,]> =
                group.items.iter().filter_map(|item| prune_use_under(item, parent, used)).collect();
            (!items.is_empty()).then(|| syn3::UseTree::Group(syn3::UseGroup { items, ..group.clone() }))
        }
    }
}

/// Every identifier in a token stream, inside groups and macro calls too.
fn idents(tokens: TokenStream) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut pending = vec![tokens];
    while let Some(tokens) = pending.pop() {
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => {
                    found.insert(ident.to_string());
                }
                TokenTree::Group(group) => pending.push(group.stream()),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
    found
}

/// The kit's README: what the candidate does, and what the kit holds.
fn readme(exercises: &[&Exercise], tests: Tests) -> String {
    let rows: String = exercises
        .iter()
        .map(|exercise| {
            format!(
                "| `{}` | {} | {} | `{}` |\n",
                exercise.name,
                exercise.title,
                exercise.difficulty,
                exercise.stub_path()
            )
        })
        .collect();
    let tests_note = match tests {
        Tests::All => "The tests in `tests/` are the ones your work is graded with, every tier.",
        Tests::Samples => {
            "The tests in `tests/` are samples: the `examples_` and `edge_` tiers. Your reviewer grades \
             your work with every tier (`property_`, `robust_`, `scale_` as well) and a secret seed."
        }
    };
    KIT_README.replace("{rows}", &rows).replace("{tests}", tests_note)
}

const KIT_README: &str = include_str!("../templates/kit-README.md");

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen<'a>(names: &[&'a str]) -> HashSet<&'a str> {
        names.iter().copied().collect()
    }

    #[test]
    fn samples_keep_the_example_and_edge_tiers_and_the_helpers_they_use() {
        let source = r#"
//! Hidden tests of `demo`.
use kata::grade::graded;
use kata::property::check;
use std::collections::{HashMap, HashSet};

const SMALL: usize = 3;
const LARGE: usize = 1_000_000;

/// Used by an example.
fn input(n: usize) -> Vec<u32> { vec![0; n] }
fn big() -> HashMap<u32, u32> { HashMap::new() }

#[test]
fn examples_small() { assert_eq!(graded(input(SMALL)).len(), SMALL); }
#[test]
fn edge_empty() { let set: HashSet<u32> = HashSet::new(); assert!(set.is_empty()); }
#[test]
fn property_random() { check(|| big()); }
#[test]
fn scale_large() { assert_eq!(input(LARGE).len(), LARGE); }
"#;
        let samples = sample_tests(source).expect("the source parses");
        assert!(samples.starts_with("// Sample tests"), "{samples}");
        for kept in [
            "Hidden tests of",
            "fn examples_small",
            "fn edge_empty",
            "fn input",
            "const SMALL",
            "graded",
            "HashSet",
        ] {
            assert!(samples.contains(kept), "{kept} is missing from\n{samples}");
        }
        for dropped in ["property_random", "scale_large", "LARGE", "fn big", "check", "HashMap"] {
            assert!(!samples.contains(dropped), "{dropped} is still in\n{samples}");
        }
        syn3::parse_file(samples.trim_start_matches(|c| c != '\n')).expect("the samples parse");
    }

    #[test]
    fn a_test_file_without_samples_is_refused() {
        let error = sample_tests("#[test]\nfn scale_big() {}\n").expect_err("no sample tier");
        assert!(error.to_string().contains("examples_"), "{error}");
    }

    #[test]
    fn every_hidden_test_file_cuts_into_samples_that_parse() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for exercise in crate::exercise::EXERCISES {
            let path = root.join(format!("tests/{}.rs", exercise.name));
            let source = fs::read_to_string(&path).expect("the hidden tests are readable");
            let samples = sample_tests(&source).expect("the hidden tests cut");
            let tests = samples.matches("#[test]").count();
            let kept = samples.matches("fn examples_").count() + samples.matches("fn edge_").count();
            assert_eq!(tests, kept, "{}: a test of another tier survived", exercise.name);
            assert!(kept > 0, "{}: no sample left", exercise.name);
        }
    }

    #[test]
    fn the_root_manifest_loses_the_reference_and_keeps_its_comments() {
        let manifest = r#"[workspace]
members = ["types", "exercises", "solutions", "cli"]

[workspace.dependencies]
exercises = { path = "exercises" }
solutions = { path = "solutions" }

[workspace.lints.rust]
unexpected_cfgs = { level = "warn", check-cfg = ["cfg(kata_reference)"] }

[features]
default = ["with-reference"]
# The reference.
with-reference = ["dep:solutions"]
reference = ["with-reference"]
other = ["reference", "x"]

[dependencies]
# The stubs.
exercises.workspace = true
solutions = { workspace = true, optional = true }
"#;
        let rewritten = without_reference(manifest).expect("valid TOML");
        let document: DocumentMut = rewritten.parse().expect("the rewrite is valid TOML");
        assert!(!rewritten.contains("solutions"), "{rewritten}");
        assert!(rewritten.contains("# The stubs."), "{rewritten}");
        let features = document["features"].as_table().expect("features stay a table");
        assert_eq!(features.iter().map(|(name, _)| name).collect::<Vec<_>>(), ["other"]);
        assert_eq!(features["other"].as_array().map(Array::len), Some(1));
        let check_cfg = document["workspace"]["lints"]["rust"]["unexpected_cfgs"]["check-cfg"].to_string();
        assert!(check_cfg.contains(r#"cfg(feature, values("with-reference", "reference"))"#), "{check_cfg}");
    }

    #[test]
    fn the_kits_own_manifests_lose_every_mention_of_the_reference() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |relative: &str| fs::read_to_string(root.join(relative)).expect("readable");
        let manifest = without_reference(&read("Cargo.toml")).expect("valid TOML");
        assert!(
            !manifest.contains("dep:solutions") && !manifest.contains("path = \"solutions\""),
            "{manifest}"
        );
        let lockfile = lockfile_without_reference(&read("Cargo.lock")).expect("valid TOML");
        assert!(!lockfile.contains("\"solutions\""), "Cargo.lock still names solutions");
        let benches = bench_manifest(&read("benches/Cargo.toml"), &chosen(&["cosine"])).expect("valid TOML");
        // Comments may still name the feature; no feature may be it or enable it.
        let document: DocumentMut = benches.parse().expect("valid TOML");
        let features = document.get("features").and_then(Item::as_table);
        let clean = features.is_none_or(|features| {
            features.iter().all(|(name, enabled)| {
                !REFERENCE_FEATURES.contains(&name) && !enabled.to_string().contains("with-reference")
            })
        });
        assert!(clean, "{benches}");
        assert_eq!(benches.matches("[[bench]]").count(), 1, "{benches}");
        assert!(benches.contains("name = \"cosine\""), "{benches}");
    }

    #[test]
    fn the_registry_and_the_module_list_keep_the_chosen_exercises() {
        let registry_text = "# The registry.\n\n[[exercise]]\nname = \"a\"\n\n[[exercise]]\nname = \"b\"\n";
        let filtered = registry(registry_text, &chosen(&["b"])).expect("valid TOML");
        assert!(filtered.starts_with("# The registry."), "{filtered}");
        assert!(!filtered.contains("\"a\"") && filtered.contains("name = \"b\""), "{filtered}");
        let lib = modules("//! The exercises.\n\npub mod a;\npub mod b;\n", &chosen(&["a"])).expect("parses");
        assert!(lib.contains("//! The exercises.") && lib.contains("pub mod a;"), "{lib}");
        assert!(!lib.contains("pub mod b;"), "{lib}");
    }
}
