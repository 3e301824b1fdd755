extension RideEvent {
    /// A ride event from a generated or imported interaction, with a content-derived id.
    public init(ride interaction: Interaction) {
        self = RideEvent(
            eventId: "",
            type: .ride,
            userId: interaction.userId,
            itemId: interaction.itemId,
            timestamp: interaction.timestamp,
            weight: interaction.weight == 1 ? nil : interaction.weight,
            city: interaction.city
        )
        eventId = contentHash()
    }
}
