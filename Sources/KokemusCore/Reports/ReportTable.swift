import Foundation

/// A table of a report, rendered as Markdown (for people) or CSV (for spreadsheets).
public struct ReportTable: Sendable, Hashable {
    public var title: String
    public var headers: [String]
    public var rows: [[String]]

    public init(title: String, headers: [String], rows: [[String]]) {
        self.title = title
        self.headers = headers
        self.rows = rows
    }

    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var lines = ["## \(title)", "", line(headers), "|" + headers.map { _ in " --- |" }.joined()]
        lines += rows.map(line)
        if rows.isEmpty { lines.append("| " + headers.map { _ in "–" }.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 rows with the table's title as the first column, so several tables share one file.
    public func csvRows() -> [String] {
        rows.map { ([title] + $0).map(PayrollExport.field).joined(separator: ",") }
    }

    public static func csv(_ tables: [ReportTable]) -> String {
        guard let first = tables.first else { return "" }
        let header = (["table"] + first.headers).map(PayrollExport.field).joined(separator: ",")
        var lines = [header]
        for table in tables {
            if table.headers != first.headers {
                lines.append((["table"] + table.headers).map(PayrollExport.field).joined(separator: ","))
            }
            lines += table.csvRows()
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
