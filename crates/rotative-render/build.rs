//! Bundles the newsroom's story editor (`editor/`: `ProseMirror` and `markdown-it`, locked by
//! `package-lock.json`) into one script the binary serves from its own origin. Needs Node.js and
//! npm; the packages are installed from the lock file into the build folder, never into the tree.

use std::{
    env,
    error::Error,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

type Outcome = Result<(), Box<dyn Error>>;

fn main() -> Outcome {
    let crate_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("no manifest dir")?);
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    let editor = crate_dir.join("editor");
    for watched in ["package.json", "package-lock.json", "src"] {
        println!("cargo:rerun-if-changed=editor/{watched}");
    }

    let work = out_dir.join("editor");
    fs::create_dir_all(work.join("src"))?;
    let lock = fs::read(editor.join("package-lock.json"))?;
    let stamp = work.join("node_modules/.installed-lock");
    if fs::read(&stamp).ok().as_deref() != Some(lock.as_slice()) {
        fs::copy(editor.join("package.json"), work.join("package.json"))?;
        fs::write(work.join("package-lock.json"), &lock)?;
        run(
            Command::new("npm")
                .args([
                    "ci",
                    // esbuild is a development package, wanted even under NODE_ENV=production.
                    "--include=dev",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                ])
                .current_dir(&work),
            "npm ci",
        )?;
        fs::write(&stamp, &lock)?;
    }
    for entry in fs::read_dir(editor.join("src"))? {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            fs::copy(&path, work.join("src").join(name))?;
        }
    }

    let esbuild = work.join("node_modules/.bin/esbuild");
    bundle(
        &esbuild,
        &work,
        &[
            "src/main.js",
            "--format=iife",
            "--minify",
            "--target=es2020",
        ],
        &out_dir.join("editor.js"),
    )?;
    // The Markdown half alone, for the tests that read every body through it under Node.js.
    bundle(
        &esbuild,
        &work,
        &["src/round-trip.js", "--format=esm", "--platform=node"],
        &out_dir.join("editor-round-trip.mjs"),
    )
}

fn bundle(esbuild: &Path, work: &Path, args: &[&str], out: &Path) -> Outcome {
    run(
        Command::new(esbuild)
            .arg("--bundle")
            .arg("--log-level=warning")
            .arg("--legal-comments=inline")
            .args(args)
            .arg(format!("--outfile={}", out.display()))
            .current_dir(work),
        "esbuild",
    )
}

fn run(command: &mut Command, what: &str) -> Outcome {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => {
            Err(format!("{what} failed ({status}) while bundling the newsroom editor").into())
        }
        Err(error) => Err(format!(
            "{what} could not start ({error}): building Rotative's newsroom editor needs Node.js \
             and npm (Debian: apt-get install nodejs npm)"
        )
        .into()),
    }
}
