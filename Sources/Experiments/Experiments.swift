/// Namespace for experiment assignment, statistics and decisions (issue 6).
enum ExperimentsModule {}
