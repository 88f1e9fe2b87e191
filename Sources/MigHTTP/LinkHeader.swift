public import Foundation

/// RFC 8288 `Link` headers, as GitHub, GitLab and Gitea use them for pagination.
public enum LinkHeader {
    /// The target of the link with `rel="next"`, resolved against `base`, or nil on the last page.
    public static func next(in header: String?, relativeTo base: URL) -> URL? {
        guard let header else { return nil }
        for link in splitLinks(header) {
            guard let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">"), open < close else { continue }
            let target = String(link[link.index(after: open)..<close])
            let parameters = link[link.index(after: close)...].split(separator: ";")
            let isNext = parameters.contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { return false }
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ").contains("next")
            }
            if isNext { return URL(string: target, relativeTo: base)?.absoluteURL }
        }
        return nil
    }

    /// Splits at commas outside `<…>`, since a URL may itself hold commas.
    private static func splitLinks(_ header: String) -> [Substring] {
        var parts: [Substring] = []
        var start = header.startIndex
        var inside = false
        for index in header.indices {
            switch header[index] {
            case "<": inside = true
            case ">": inside = false
            case "," where !inside:
                parts.append(header[start..<index])
                start = header.index(after: index)
            default: break
            }
        }
        parts.append(header[start...])
        return parts
    }
}
