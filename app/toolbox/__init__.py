"""The virtual toolbox (templates with versioned files) and the IT project register."""
