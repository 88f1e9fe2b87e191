public import MigGit

/// A ref that marks a deploy to an environment, resolved to the commit it deployed.
public struct DeployMarker: Sendable, Hashable {
    public let name: String
    public let commit: ObjectID
    /// Annotated tag date, else the commit's committer date.
    public let date: GitTime

    public init(name: String, commit: ObjectID, date: GitTime) {
        self.name = name
        self.commit = commit
        self.date = date
    }

    /// Deploy order: by date, ties broken by natural ref-name order (`v1.9` before `v1.10`).
    public static func deployOrder(_ lhs: DeployMarker, _ rhs: DeployMarker) -> Bool {
        if lhs.date.seconds != rhs.date.seconds { return lhs.date.seconds < rhs.date.seconds }
        return NaturalOrder.precedes(lhs.name, rhs.name)
    }
}

/// Orders strings the way people number things: runs of digits compare as numbers.
public enum NaturalOrder {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8[...], right = rhs.utf8[...]
        while let l = left.first, let r = right.first {
            if isDigit(l) && isDigit(r) {
                let leftDigits = left.prefix(while: isDigit), rightDigits = right.prefix(while: isDigit)
                let leftValue = leftDigits.drop { $0 == UInt8(ascii: "0") }
                let rightValue = rightDigits.drop { $0 == UInt8(ascii: "0") }
                if leftValue.count != rightValue.count { return leftValue.count < rightValue.count }
                if !leftValue.elementsEqual(rightValue) { return leftValue.lexicographicallyPrecedes(rightValue) }
                if leftDigits.count != rightDigits.count { return leftDigits.count < rightDigits.count }
                left = left.dropFirst(leftDigits.count)
                right = right.dropFirst(rightDigits.count)
            } else {
                if l != r { return l < r }
                left = left.dropFirst()
                right = right.dropFirst()
            }
        }
        return left.isEmpty && !right.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
