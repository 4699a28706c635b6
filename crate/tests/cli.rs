//! The `flowlab` command line, as a teacher runs it: prints what the file prints, one line per
//! figure, and exits non-zero with the error (kind, line, caret) on a failure.
#![cfg(feature = "cli")]

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Each call writes its own file (tests run in parallel).
static NEXT: AtomicUsize = AtomicUsize::new(0);

fn run(args: &[&str], source: &str) -> (bool, String, String) {
    let dir = std::env::temp_dir().join(format!("flowlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("lab{}.py", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&file, source).unwrap();
    let mut cmd_args: Vec<&str> = args.to_vec();
    let path = file.to_string_lossy().to_string();
    cmd_args.insert(1, &path);
    let out = Command::new(env!("CARGO_BIN_EXE_flowlab"))
        .args(&cmd_args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn run_prints_the_output_and_describes_each_figure() {
    let source = "import torch
import matplotlib.pyplot as plt
x = torch.linspace(0, 1, 5)
print(f\"mean {x.mean().item():.2f}\")
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
axes[0].scatter(x, x * 2, s=10)
axes[0].set_title(\"line\")
plt.show()
";
    let (ok, stdout, stderr) = run(&["run"], source);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "mean 0.50\n[figure 1] figure 1x2 (8 x 4 in): [0,0] \"line\": scatter 5 pts; [0,1]: empty\n"
    );
}

#[test]
fn run_exits_non_zero_with_the_error_and_its_line() {
    let source = "import torch\nbatch_size = 4\nt = torch.rand(batchsize, 1)\n";
    let (ok, stdout, stderr) = run(&["run"], source);
    assert!(!ok);
    assert_eq!(stdout, "");
    assert!(stderr.contains("NameError: line 3, column 16"), "{stderr}");
    assert!(stderr.contains("did you mean 'batch_size'?"), "{stderr}");
    assert!(
        stderr.contains("t = torch.rand(batchsize, 1)\n"),
        "{stderr}"
    );
}

#[test]
fn check_only_parses() {
    let (ok, _, stderr) = run(&["check"], "for i in range(3)\n    print(i)\n");
    assert!(!ok);
    assert!(stderr.contains("SyntaxError: line 1"), "{stderr}");
    let (ok, stdout, _) = run(&["check"], "print(undefined_name)\n");
    assert!(ok);
    assert!(stdout.ends_with(": ok\n"), "{stdout}");
}

#[test]
fn lab_prints_the_notebook_in_each_mode_and_the_full_one_parses() {
    let lab = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_flowlab"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (ok, todo) = lab(&["lab", "todo"]);
    assert!(ok);
    assert_eq!(todo.matches("...  # TODO").count(), 10);
    assert!(!todo.contains("Retrain on 8 points"));
    let (ok, full) = lab(&["lab", "full", "--extras"]);
    assert!(ok && full.contains("# %% Retrain on 8 points") && !full.contains("TODO"));
    let (ok, checked, _) = run(&["check"], &full);
    assert!(ok, "{checked}");
    let (ok, _) = lab(&["lab", "easy"]);
    assert!(!ok, "an unknown mode fails");
}
