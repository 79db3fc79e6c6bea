"""The labelled demo dataset (【演示】/【演示数据】, only with DEMO_MODE): accounts for every role,
figures, returns, task reports, certifications and applications, and a report pack — each made
through the apps' own services, in the order ``seed_demo`` calls them."""
