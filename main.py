from gdviz.cli import main

main()
