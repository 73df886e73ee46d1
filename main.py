from gdviz.ui.app import main

main()
