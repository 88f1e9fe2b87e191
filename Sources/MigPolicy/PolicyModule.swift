enum PolicyModule {
    static let presetNames = EmbeddedPresets.sources.keys.sorted()
}
