/// Text from outside (a ledger entry, a sign-in service's message, a file name) on its way to a terminal.
///
/// A terminal acts on control characters: ESC starts sequences that move the cursor, clear lines or set the
/// window title, so a value holding them can visually erase or rewrite what was printed before it. Bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what follows them on the screen. These are the
/// characters refused on input and escaped on display.
public enum TerminalText {
    /// C0 controls (tab included), DEL, C1 controls, and the bidi embeddings, overrides, isolates and marks.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x061C: true  // LRM, RLM, ALM
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: false
        }
    }

    public static func containsUnsafe(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isUnsafe)
    }

    /// The text with every unsafe character written as `\u{1B}` (a backslash too is doubled, so the escaped
    /// form cannot be forged by typing it).
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) || $0 == "\\" }) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                result += "\\\\"
            } else if isUnsafe(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Keeps the line breaks of a multi-line message and escapes every other unsafe character.
    public static func escapedKeepingLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escaped(String($0).replacingCRLF()) }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        hasSuffix("\r") ? String(dropLast()) : self
    }
}
