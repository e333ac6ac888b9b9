//! What `help NAME` and `NAME --help` print for the shell's builtins: the synopsis and the
//! one-line description from bash 5.2's `builtins/*.def` (`$SHORT_DOC` and the first line of
//! the long doc). bash goes on with the options; the lab's builtins implement a subset.

/// The synopsis and description of a builtin, or `None` when bash has no help for it.
pub fn builtin_help(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        ":" => (":", "Null command."),
        "bg" => ("bg [job_spec ...]", "Move jobs to the background."),
        "break" => ("break [n]", "Exit for, while, or until loops."),
        "cd" => ("cd [-L|[-P [-e]] [-@]] [dir]", "Change the shell working directory."),
        "continue" => ("continue [n]", "Resume for, while, or until loops."),
        "echo" => ("echo [-neE] [arg ...]", "Write arguments to the standard output."),
        "eval" => ("eval [arg ...]", "Execute arguments as a shell command."),
        "exit" => ("exit [n]", "Exit the shell."),
        "export" => ("export [-fn] [name[=value] ...] or export -p", "Set export attribute for shell variables."),
        "false" => ("false", "Return an unsuccessful result."),
        "fg" => ("fg [job_spec]", "Move job to the foreground."),
        "help" => ("help [-dms] [pattern ...]", "Display information about builtin commands."),
        "history" => ("history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]", "Display or manipulate the history list."),
        "jobs" => ("jobs [-lnprs] [jobspec ...] or jobs -x command [args]", "Display status of jobs."),
        "kill" => ("kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]", "Send a signal to a job."),
        "mapfile" => ("mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]", "Read lines from the standard input into an indexed array variable."),
        "printf" => ("printf [-v var] format [arguments]", "Formats and prints ARGUMENTS under control of the FORMAT."),
        "pwd" => ("pwd [-LP]", "Print the name of the current working directory."),
        "read" => ("read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]", "Read a line from the standard input and split it into fields."),
        "readarray" => ("readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]", "Read lines from a file into an array variable."),
        "return" => ("return [n]", "Return from a shell function."),
        "set" => ("set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]", "Set or unset values of shell options and positional parameters."),
        "shift" => ("shift [n]", "Shift positional parameters."),
        "test" => ("test [expr]", "Evaluate conditional expression."),
        "[" => ("[ arg... ]", "Evaluate conditional expression."),
        "true" => ("true", "Return a successful result."),
        "type" => ("type [-afptP] name [name ...]", "Display information about command type."),
        "unset" => ("unset [-f] [-v] [-n] [name ...]", "Unset values and attributes of shell variables and functions."),
        "wait" => ("wait [-fn] [-p var] [id ...]", "Wait for job completion and return exit status."),
        _ => return None,
    })
}

/// `help NAME`'s text: `NAME: SYNOPSIS`, then the description indented.
pub fn help_text(name: &str) -> Option<String> {
    builtin_help(name).map(|(synopsis, what)| format!("{name}: {synopsis}\n    {what}\n"))
}

/// Whether `NAME --help` shows the help: bash's builtins take `--help`, except those that
/// read no options (`echo` prints it, `:`, `true`, `false` ignore it, `test` evaluates it).
pub fn takes_help_option(name: &str) -> bool {
    builtin_help(name).is_some() && !matches!(name, "echo" | ":" | "true" | "false" | "test" | "[")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_with_options_has_its_synopsis() {
        for name in super::super::builtins::BUILTINS {
            if matches!(*name, "clear" | "sleep" | "[[") {
                continue; // not bash builtins: ncurses' clear, coreutils' sleep, a keyword
            }
            let text = help_text(name).unwrap_or_else(|| panic!("{name}"));
            assert!(text.starts_with(&format!("{name}: ")), "{text}");
        }
        assert_eq!(
            help_text("cd").as_deref(),
            Some("cd: cd [-L|[-P [-e]] [-@]] [dir]\n    Change the shell working directory.\n")
        );
        assert!(!takes_help_option("echo") && takes_help_option("history"));
    }
}
