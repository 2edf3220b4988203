import Foundation
import Posture

/// JUnit XML for CI test tabs: one test suite per check, one test case per result. fail → failure; warn → failure
/// only with `strict`; unknown and not applicable → skipped.
public enum JUnitReport {
    public static func render(_ results: [AuditReport.Result], suite: String, strict: Bool) -> String {
        var order: [String] = []
        var byCheck: [String: [AuditReport.Result]] = [:]
        for result in results {
            if byCheck[result.check] == nil { order.append(result.check) }
            byCheck[result.check, default: []].append(result)
        }
        func isFailure(_ result: AuditReport.Result) -> Bool { result.status == .fail || (strict && result.status == .warn) }
        func isSkipped(_ result: AuditReport.Result) -> Bool { result.status == .unknown || result.status == .notApplicable }
        let failures = results.filter(isFailure).count
        let skipped = results.filter(isSkipped).count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="\#(xml(suite))" tests="\#(results.count)" failures="\#(failures)" errors="0" skipped="\#(skipped)">"#,
        ]
        for check in order.sorted() {
            let cases = byCheck[check] ?? []
            let title = cases.first?.title ?? check
            lines.append(#"  <testsuite name="\#(check) \#(xml(title))" tests="\#(cases.count)" failures="\#(cases.filter(isFailure).count)" errors="0" skipped="\#(cases.filter(isSkipped).count)">"#)
            for result in cases {
                lines.append(#"    <testcase classname="\#(check)" name="\#(xml(result.subjectLine))">"#)
                if isFailure(result) {
                    lines.append(#"      <failure message="\#(xml(result.message))" type="\#(result.severity.rawValue)">\#(xml(result.remediation))</failure>"#)
                } else if isSkipped(result) {
                    lines.append(#"      <skipped message="\#(xml(result.message))"/>"#)
                } else {
                    lines.append("      <system-out>\(xml("\(result.status.rawValue): \(result.message)"))</system-out>")
                }
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Escapes text for XML and HTML content and attributes; drops characters XML 1.0 cannot carry.
func xml(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { result.unicodeScalars.append(scalar) }
        }
    }
    return result
}
